import { Body, Controller, ForbiddenException, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@trellis/identity';
import { UnitsService } from '@trellis/organisation';
import { CampaignsService, RoundsService } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import type { AccessScope } from '../access/access.guard';
import { CurrentPrincipal, CurrentScope } from '../access/principal.decorator';
import { CreateCampaignDto, UpdateCampaignDto } from './surveys.dto';

const ANYONE_RESPONSIBLE = ['hr', 'admin', 'leader'] as const;

@ApiTags('surveys')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly rounds: RoundsService,
    private readonly units: UnitsService,
  ) {}

  @Get('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  list(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ) {
    return this.campaigns.list(
      orgId,
      scope === 'organisation'
        ? { kind: 'organisation' }
        : { kind: 'leader', personId: p.personId },
    );
  }

  /** HR for any teams; a leader for the teams they lead (and those below them). */
  @Post('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  async create(
    @Param('orgId') orgId: string,
    @Body() body: CreateCampaignDto,
    @CurrentPrincipal() p: Principal,
    @CurrentScope() scope: AccessScope,
  ) {
    if (scope === 'leader') {
      const mine = new Set(
        (await this.units.list(orgId, { kind: 'leader', personId: p.personId })).map((u) => u.id),
      );
      const others = body.teamIds.filter((id) => !mine.has(id));
      if (others.length) {
        throw new ForbiddenException({
          statusCode: 403,
          message: 'teamIds: a leader can run campaigns only for the teams they lead',
        });
      }
    }
    return this.campaigns.create(orgId, p.personId, body);
  }

  @Get('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  get(@Param('campaignId') campaignId: string) {
    return this.campaigns.get(campaignId);
  }

  @Patch('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  update(@Param('campaignId') campaignId: string, @Body() body: UpdateCampaignDto) {
    return this.campaigns.update(campaignId, body);
  }

  @Get('campaigns/:campaignId/rounds')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  listRounds(@Param('campaignId') campaignId: string) {
    return this.rounds.listForCampaign(campaignId);
  }

  /** Participation only: who was invited and how many answered, per team. Never answers. */
  @Get('rounds/:roundId')
  @Allow('round', 'roundId', ANYONE_RESPONSIBLE)
  getRound(@Param('roundId') roundId: string) {
    return this.rounds.get(roundId);
  }
}
