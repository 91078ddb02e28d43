import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@trellis/identity';
import { CampaignsService, RoundsService, type CampaignScope } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import type { AccessScope } from '../access/access.guard';
import { CurrentPrincipal, CurrentScope } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { CreateCampaignDto, UpdateCampaignDto } from './surveys.dto';
import { LiveRoundsService } from './live-rounds.service';
import {
  CampaignDto,
  CloseRequestDto,
  OpenRoundDto,
  ReminderRequestDto,
  RoundDto,
  RoundSummaryDto,
} from './surveys.response';

const ANYONE_RESPONSIBLE = ['hr', 'admin', 'leader'] as const;

/** What the access gate granted, as the campaigns service reads it. */
export function campaignScope(scope: AccessScope | undefined, p: Principal): CampaignScope {
  return scope === 'organisation'
    ? { kind: 'organisation' }
    : { kind: 'leader', personId: p.personId };
}

@ApiTags('surveys')
@ApiSignedIn()
@Controller()
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly rounds: RoundsService,
    private readonly live: LiveRoundsService,
  ) {}

  @Get('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  @ApiOperation({
    summary: 'Campaigns: all for HR and admins; for a leader, those touching a team they lead',
  })
  @ApiOkResponse({ type: [CampaignDto] })
  @ApiErrors(400, 404)
  list(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ): Promise<CampaignDto[]> {
    return this.campaigns.overview(orgId, campaignScope(scope, p));
  }

  /** HR for any teams; a leader for the teams they lead (and those below them). */
  @Post('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  @ApiOperation({ summary: 'Start a campaign: rounds then open on its cadence for its teams' })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiErrors(400, 404, 409)
  create(
    @Param('orgId') orgId: string,
    @Body() body: CreateCampaignDto,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ): Promise<CampaignDto> {
    return this.campaigns.start(orgId, p, campaignScope(scope, p), body);
  }

  @Get('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  @ApiOperation({ summary: 'A campaign with its schedule, teams and next five rounds' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 404)
  get(@Param('campaignId') campaignId: string): Promise<CampaignDto> {
    return this.campaigns.detail(campaignId);
  }

  @Patch('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  @ApiOperation({
    summary: 'Change a campaign (its schedule, form, teams…), or pause or resume it',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 403, 404)
  update(
    @Param('campaignId') campaignId: string,
    @Body() body: UpdateCampaignDto,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ): Promise<CampaignDto> {
    return this.campaigns.change(campaignId, p, campaignScope(scope, p), body);
  }

  @Get('campaigns/:campaignId/rounds')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  @ApiOperation({ summary: "A campaign's rounds, newest period first" })
  @ApiOkResponse({ type: [RoundSummaryDto] })
  @ApiErrors(400, 404)
  listRounds(@Param('campaignId') campaignId: string): Promise<RoundSummaryDto[]> {
    return this.rounds.listForCampaign(campaignId);
  }

  /** Participation only: who was invited and how many answered, per team. Never answers. */
  @Get('rounds/:roundId')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  @ApiOperation({ summary: 'A round with its participation per team (counts, never answers)' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrors(400, 404)
  getRound(@Param('roundId') roundId: string): Promise<RoundDto> {
    return this.rounds.get(roundId);
  }

  @Get('organisations/:orgId/open-rounds')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  @ApiOperation({
    summary:
      'Open rounds, closing soonest first: all for HR and admins; for a leader, those that include one of their teams, counted over their teams only. Counts in steps of k',
  })
  @ApiOkResponse({ type: [OpenRoundDto] })
  @ApiErrors(400, 404)
  openRounds(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ): Promise<OpenRoundDto[]> {
    return this.rounds.openRounds(
      orgId,
      scope === 'organisation'
        ? { kind: 'organisation' }
        : { kind: 'leader', personId: p.personId },
    );
  }

  /** The worker closes it (links stop, results are computed) exactly as at its scheduled closing. */
  @Post('rounds/:roundId/close')
  @HttpCode(202)
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  @ApiOperation({
    summary:
      'Close an open round now; repeating it while it closes changes nothing, a closed round is a 409',
  })
  @ApiAcceptedResponse({ type: CloseRequestDto })
  @ApiErrors(400, 404, 409)
  closeRound(
    @Param('roundId') roundId: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<CloseRequestDto> {
    return this.live.closeNow(p, roundId);
  }

  @Post('rounds/:roundId/reminders')
  @HttpCode(202)
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  @ApiOperation({
    summary:
      'Remind everyone who has not answered an open round, now; a repeat within 10 minutes is the same reminder',
  })
  @ApiAcceptedResponse({ type: ReminderRequestDto })
  @ApiErrors(400, 404, 409)
  remind(
    @Param('roundId') roundId: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<ReminderRequestDto> {
    return this.live.remindNow(p, roundId);
  }
}
