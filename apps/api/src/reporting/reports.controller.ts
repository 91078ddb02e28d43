import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Allow as Accepted, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { actorOf } from '@trellis/audit';
import type { Principal } from '@trellis/identity';
import {
  ACTION_MAX,
  COMMITMENT_STATUSES,
  CommitmentsService,
  NOTE_MAX,
  OWNER_MAX,
  ReportsService,
  TeamReportService,
  type CommitmentChangeDraft,
  type CommitmentDraft,
} from '@trellis/reporting';
import { FLAG_CODES } from '@trellis/scoring';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import {
  CommitmentDto,
  HeatmapDto,
  ParticipationRoundDto,
  UnitReportDto,
} from './reports.response';

/**
 * What a client sends to record a commitment. The DTO only describes the fields (for the OpenAPI
 * document, and so unknown fields are refused); the rules are the domain's
 * (libs/reporting commitment-rules.ts), checked once in CommitmentsService for the API and the
 * report page alike.
 */
export class CreateCommitmentDto implements CommitmentDraft {
  @ApiProperty({
    type: String,
    maxLength: ACTION_MAX,
    example: 'Vet the plan together before work starts; a 15-minute check-in on Mondays',
  })
  @Accepted()
  action!: unknown;
  @ApiProperty({ type: String, maxLength: OWNER_MAX, example: 'Ana (team lead)' })
  @Accepted()
  owner!: unknown;
  @ApiProperty({
    type: String,
    format: 'date',
    example: '2030-12-31',
    description: 'From today on: a day already past everywhere (in UTC−12) is refused',
  })
  @Accepted()
  dueOn!: unknown;
  @ApiProperty({
    type: String,
    description: 'The dimension the team expects to move',
    example: 'leader_support',
  })
  @Accepted()
  dimension!: unknown;
  @ApiPropertyOptional({ enum: FLAG_CODES }) @Accepted() flagCode?: unknown;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description: 'Baseline round; defaults to the latest',
  })
  @Accepted()
  roundId?: unknown;
}

/** A change to a commitment; the rules are the domain's, as for CreateCommitmentDto. */
export class UpdateCommitmentDto implements CommitmentChangeDraft {
  @ApiPropertyOptional({
    enum: COMMITMENT_STATUSES,
    description: 'done or dropped closes it; open reopens it',
  })
  @Accepted()
  status?: unknown;
  @ApiPropertyOptional({ type: String, maxLength: ACTION_MAX }) @Accepted() action?: unknown;
  @ApiPropertyOptional({ type: String, maxLength: OWNER_MAX }) @Accepted() owner?: unknown;
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'A new date must be from today on; the date it already has may be sent back',
  })
  @Accepted()
  dueOn?: unknown;
  @ApiPropertyOptional({
    type: String,
    maxLength: NOTE_MAX,
    description: 'How it went, or why it was dropped; an empty string clears it',
  })
  @Accepted()
  note?: unknown;
}

export class HeatmapQuery {
  @ApiPropertyOptional({ description: 'Defaults to the latest aggregated round' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
  @ApiPropertyOptional({ description: 'The same as roundId, as the console pages spell it' })
  @IsOptional()
  @IsUUID()
  round?: string;
}

export class UnitReportQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The round to report on; defaults to the latest aggregated round',
  })
  @IsOptional()
  @IsUUID()
  round?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'An earlier aggregated round to compare with: change per dimension with its 90 % interval. Empty means none.',
  })
  // The page's "No comparison" choice sends an empty value.
  @ValidateIf((q: UnitReportQuery) => q.compare !== undefined && q.compare !== '')
  @IsUUID()
  compare?: string;
}

/** Reports read precomputed results; the anonymity module decides every number they return. */
@ApiTags('reports')
@ApiSignedIn()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly teamReports: TeamReportService,
    private readonly commitments: CommitmentsService,
  ) {}

  @Get('units/:unitId/report')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @Audited('report.view', { kind: 'unit', param: 'unitId' })
  @ApiOperation({
    summary:
      "A team's (or unit's) health report: latest scores against the organisation, flags, items, trends",
  })
  @ApiOkResponse({ type: UnitReportDto })
  @ApiErrors(400, 404)
  unitReport(
    @Param('unitId') unitId: string,
    @Query() query: UnitReportQuery,
  ): Promise<UnitReportDto> {
    return this.teamReports.teamReport(unitId, {
      roundId: query.round,
      compareId: query.compare || undefined,
    });
  }

  @Get('units/:unitId/commitments')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: "A unit's commitments, newest first, with how their dimension moved" })
  @ApiOkResponse({ type: [CommitmentDto] })
  @ApiErrors(400, 404)
  listCommitments(@Param('unitId') unitId: string): Promise<CommitmentDto[]> {
    return this.commitments.list(unitId);
  }

  /** A leader records what the team will try; later rounds show whether the dimension moved. */
  @Post('units/:unitId/commitments')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @ApiOperation({
    summary: 'Record what the team will try, who owns it, by when, and which dimension should move',
  })
  @ApiCreatedResponse({ type: CommitmentDto })
  @ApiErrors(400, 404)
  createCommitment(
    @Param('unitId') unitId: string,
    @Body() body: CreateCommitmentDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<CommitmentDto> {
    // Audited by the service, in the transaction that writes it (as for the page's form).
    return this.teamReports.addCommitment(unitId, actorOf(p), body);
  }

  @Patch('commitments/:commitmentId')
  @Allow('commitment', 'commitmentId', ['hr', 'admin', 'leader'])
  @ApiOperation({
    summary:
      'Edit a commitment (action, owner, due date), or mark it done or dropped with an optional note',
  })
  @ApiOkResponse({ type: CommitmentDto })
  @ApiErrors(400, 404)
  updateCommitment(
    @Param('commitmentId') commitmentId: string,
    @Body() body: UpdateCommitmentDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<CommitmentDto> {
    return this.teamReports.changeCommitment(commitmentId, actorOf(p), body);
  }

  @Get('organisations/:orgId/heatmap')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('heatmap.view', { kind: 'organisation', param: 'orgId' })
  @ApiOperation({
    summary: 'Units × dimensions for one round; suppressed cells are marked and hold no numbers',
  })
  @ApiOkResponse({ type: HeatmapDto })
  @ApiErrors(400, 404)
  heatmap(@Param('orgId') orgId: string, @Query() query: HeatmapQuery): Promise<HeatmapDto> {
    return this.reports.heatmap(orgId, query.round ?? query.roundId);
  }

  @Get('organisations/:orgId/participation')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('participation.view', { kind: 'organisation', param: 'orgId' })
  @ApiOperation({ summary: 'Respondents and response rate per round, oldest first' })
  @ApiOkResponse({ type: [ParticipationRoundDto] })
  @ApiErrors(400, 404)
  participation(@Param('orgId') orgId: string): Promise<ParticipationRoundDto[]> {
    return this.reports.participation(orgId);
  }
}
