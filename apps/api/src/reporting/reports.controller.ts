import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ReportsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';

export class HeatmapQuery {
  @ApiPropertyOptional({ description: 'Defaults to the latest aggregated round' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
}

/** Reports read precomputed results; the anonymity module decides every number they return. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('units/:unitId/report')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @ApiOperation({
    summary: "A team's (or unit's) health report: latest scores against the organisation, flags, items, trends",
  })
  unitReport(@Param('unitId') unitId: string) {
    return this.reports.unitReport(unitId);
  }

  @Get('organisations/:orgId/heatmap')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({ summary: 'Units × dimensions for one round; suppressed cells are marked and hold no numbers' })
  heatmap(@Param('orgId') orgId: string, @Query() query: HeatmapQuery) {
    return this.reports.heatmap(orgId, query.roundId);
  }

  @Get('organisations/:orgId/participation')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  participation(@Param('orgId') orgId: string) {
    return this.reports.participation(orgId);
  }
}
