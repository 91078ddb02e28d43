import { All, Controller, Get, NotFoundException, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { UnitsService } from '@trellis/organisation';
import { RoundsService } from '@trellis/surveys';
import { Public, SignedIn } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { HomePage } from './home.page';

@ApiExcludeController()
@Controller()
@UseFilters(PageExceptionFilter)
export class HomeController {
  constructor(
    private readonly units: UnitsService,
    private readonly rounds: RoundsService,
    private readonly pages: Pages,
  ) {}

  @Get()
  @Public()
  root(@Req() req: AuthedRequest, @Res() res: Response): void {
    res.redirect(303, req.principal ? '/app' : '/sign-in');
  }

  @Get('app')
  @SignedIn()
  async home(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const p = req.principal!;
    const led = await this.units.list(p.organisationId, { kind: 'leader', personId: p.personId });
    // HR and admins see every open round, as they see every campaign; a leader those of their teams.
    const everyone = p.roles.includes('hr') || p.roles.includes('admin');
    const openRounds =
      everyone || led.length
        ? await this.rounds.openRounds(
            p.organisationId,
            everyone ? { kind: 'organisation' } : { kind: 'leader', personId: p.personId },
          )
        : [];
    this.pages.send(req, res, h(HomePage, { led, openRounds }));
  }
}

/**
 * Every other /app path: a page, not the API's JSON. Registered last, so it only answers what no
 * page controller claimed; signed out, it goes through sign-in first and comes back here.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ConsoleNotFoundController {
  @All('*rest')
  @SignedIn()
  notFound(): never {
    throw new NotFoundException({ statusCode: 404, message: 'no such page' });
  }
}
