import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf } from '@trellis/audit';
import type { FieldProblem } from '@trellis/errors';
import { ApiTokensService } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { ApiTokenCreatedPage, ApiTokensPage, RevokeApiTokenPage } from './api-tokens.page';

const HR = ['hr', 'admin'] as const;

/** The API tokens page: the browser face of ApiTokensService, which the JSON API shares. */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ApiTokensPageController {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly pages: Pages,
  ) {}

  @Get('organisations/:orgId/tokens')
  @Allow('organisation', 'orgId', HR)
  async list(
    @Param('orgId') orgId: string,
    @Query('revoked') revoked: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const tokens = await this.tokens.list(orgId);
    const gone = typeof revoked === 'string' ? tokens.find((t) => t.id === revoked) : undefined;
    const notice = gone ? `Revoked “${gone.name}”: it no longer works.` : undefined;
    this.pages.send(req, res, h(ApiTokensPage, { orgId, tokens, notice }));
  }

  /** Answers with the secret itself (never a redirect: it must not travel in a URL). */
  @Post('organisations/:orgId/tokens')
  @Allow('organisation', 'orgId', HR)
  async create(
    @Param('orgId') orgId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const name = body?.name;
    try {
      const token = await this.tokens.create(req.principal!, name);
      this.pages.send(req, res, h(ApiTokenCreatedPage, { orgId, token }), 201);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const problems = (error.getResponse() as { errors?: FieldProblem[] }).errors ?? [];
      const tokens = await this.tokens.list(orgId);
      const typedName = typeof name === 'string' ? name : '';
      this.pages.send(req, res, h(ApiTokensPage, { orgId, tokens, problems, typedName }), 400);
    }
  }

  @Get('api-tokens/:tokenId/revoke')
  @Allow('api_token', 'tokenId', HR)
  async confirmRevoke(
    @Param('tokenId') tokenId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const token = await this.tokens.get(tokenId);
    const orgId = req.principal!.organisationId;
    this.pages.send(req, res, h(RevokeApiTokenPage, { token, orgId }));
  }

  @Post('api-tokens/:tokenId/revoke')
  @Allow('api_token', 'tokenId', HR)
  async revoke(
    @Param('tokenId') tokenId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.tokens.revoke(tokenId, actorOf(req.principal!));
    const orgId = req.principal!.organisationId;
    res.redirect(303, `${consolePaths.tokens(orgId)}?revoked=${tokenId}`);
  }
}
