import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Principal } from '@trellis/identity';
import { CommitmentsService, ReportsService } from '@trellis/reporting';
import { FLAG_CODES } from '@trellis/scoring';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { IsCalendarDate } from '../common/calendar-date';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { Trim } from '../common/trim';
import {
  CommitmentDto,
  HeatmapDto,
  ParticipationRoundDto,
  UnitReportDto,
} from './reports.response';

export class CreateCommitmentDto {
  @ApiPropertyOptional({
    example: 'Vet the plan together before work starts; a 15-minute check-in on Mondays',
  })
  @Trim()
  @IsString()
  @Length(1, 1000)
  action!: string;
  @ApiPropertyOptional({ example: 'Ana (team lead)' })
  @Trim()
  @IsString()
  @Length(1, 200)
  owner!: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsCalendarDate() dueOn!: string;
  @ApiPropertyOptional({
    description: 'The dimension the team expects to move',
    example: 'leader_support',
  })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'must be a dimension key' })
  dimension!: string;
  @ApiPropertyOptional({ enum: FLAG_CODES }) @IsOptional() @IsIn(FLAG_CODES) flagCode?: string;
  @ApiPropertyOptional({ description: 'Baseline round; defaults to the latest' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
}

export class UpdateCommitmentDto {
  @ApiPropertyOptional({ enum: ['open', 'done', 'dropped'] })
  @IsOptional()
  @IsIn(['open', 'done', 'dropped'])
  status?: 'open' | 'done' | 'dropped';
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 1000) action?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 200) owner?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() dueOn?: string;
}

export class HeatmapQuery {
  @ApiPropertyOptional({ description: 'Defaults to the latest aggregated round' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
}

/** Reports read precomputed results; the anonymity module decides every number they return. */
@ApiTags('reports')
@ApiSignedIn()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
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
  async unitReport(@Param('unitId') unitId: string): Promise<UnitReportDto> {
    const report = await this.reports.unitReport(unitId);
    return { ...report, commitments: await this.commitments.list(unitId, report) };
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
    return this.commitments.create(unitId, p.personId, body);
  }

  @Patch('commitments/:commitmentId')
  @Allow('commitment', 'commitmentId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: "Update a commitment's status, action, owner or due date" })
  @ApiOkResponse({ type: CommitmentDto })
  @ApiErrors(400, 404)
  updateCommitment(
    @Param('commitmentId') commitmentId: string,
    @Body() body: UpdateCommitmentDto,
  ): Promise<CommitmentDto> {
    return this.commitments.update(commitmentId, body);
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
    return this.reports.heatmap(orgId, query.roundId);
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
