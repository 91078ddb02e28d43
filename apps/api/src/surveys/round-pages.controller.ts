import {
  ConflictException,
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
import { CampaignsService, RoundsService } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { LiveRoundsService } from './live-rounds.service';
import { CampaignRoundsPage, CloseRoundPage, RemindRoundPage, RoundPage } from './rounds.page';

const ANYONE_RESPONSIBLE = ['hr', 'admin', 'leader'] as const;

/** What a page says after an action, by the code its redirect carries (never free text from a URL). */
const NOTICES: Record<string, string> = {
  closing:
    'The round is closing now: links stop working, and its results are computed in a moment.',
  'closing-already': 'This round is already closing; nothing else was changed.',
  'closed-already': 'This round was already closed; nothing was changed.',
  reminding: 'A reminder is going out to everyone who has not answered yet.',
  'reminded-already':
    'A reminder was already asked for in the last 10 minutes; nobody is mailed twice.',
  'not-open': 'The round is closed or closing: reminders go only to open rounds.',
};

/**
 * The rounds pages: thin adapters over RoundsService (what a round is and how far it got) and
 * LiveRoundsService (close now, remind now), the same use cases and access rules as the JSON routes.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class RoundPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly rounds: RoundsService,
    private readonly live: LiveRoundsService,
    private readonly pages: Pages,
  ) {}

  @Get('campaigns/:campaignId/rounds')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  async campaignRounds(
    @Param('campaignId') campaignId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.campaigns.get(campaignId);
    const rounds = await this.rounds.listForCampaign(campaignId);
    this.pages.send(req, res, h(CampaignRoundsPage, { campaign, rounds }));
  }

  @Get('rounds/:roundId')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  async round(
    @Param('roundId') roundId: string,
    @Query('done') done: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const round = await this.rounds.get(roundId);
    const notice =
      typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
    this.pages.send(req, res, h(RoundPage, { round, notice }));
  }

  @Get('rounds/:roundId/close')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  async confirmClose(
    @Param('roundId') roundId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    this.pages.send(req, res, h(CloseRoundPage, { round: await this.rounds.get(roundId) }));
  }

  @Post('rounds/:roundId/close')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  async close(
    @Param('roundId') roundId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    let done: string;
    try {
      done = (await this.live.closeNow(req.principal!, roundId)).requested
        ? 'closing'
        : 'closing-already';
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      done = 'closed-already';
    }
    res.redirect(303, `${consolePaths.round(roundId)}?done=${done}`);
  }

  @Get('rounds/:roundId/remind')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  async confirmRemind(
    @Param('roundId') roundId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    this.pages.send(req, res, h(RemindRoundPage, { round: await this.rounds.get(roundId) }));
  }

  @Post('rounds/:roundId/remind')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  async remind(
    @Param('roundId') roundId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    let done: string;
    try {
      done = (await this.live.remindNow(req.principal!, roundId)).repeated
        ? 'reminded-already'
        : 'reminding';
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      done = 'not-open';
    }
    res.redirect(303, `${consolePaths.round(roundId)}?done=${done}`);
  }
}
