import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { UnitsService } from '@trellis/organisation';
import { ReportsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { ReportPageExceptionFilter } from './report-pages.filter';
import { organisationPage, REPORT_HEADERS, unitReportPage, type Viewer } from './report-pages';

function viewerOf(req: AuthedRequest): Viewer {
  const p = req.principal!;
  const wide = p.roles.some((r) => r === 'hr' || r === 'admin');
  return {
    name: p.name,
    overviewHref: wide ? `/app/organisations/${p.organisationId}` : undefined,
  };
}

/**
 * The report pages: the same ReportsService (and so the same anonymity decisions) as the JSON
 * API, drawn with Chart.js served from this server. The access guard decides who may see what,
 * exactly as for GET /units/:unitId/report and GET /organisations/:orgId/heatmap.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(ReportPageExceptionFilter)
export class ReportPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly units: UnitsService,
  ) {}

  @Get('units/:unitId/report')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  async unitReport(
    @Param('unitId') unitId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.reports.unitReport(unitId);
    res
      .status(200)
      .set(REPORT_HEADERS)
      .send(unitReportPage(report, viewerOf(req)));
  }

  @Get('organisations/:orgId')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async organisation(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const [heatmap, participation, tree] = await Promise.all([
      this.reports.heatmap(orgId),
      this.reports.participation(orgId),
      this.units.list(orgId, { kind: 'organisation' }),
    ]);
    const root = tree.find((u) => u.kind === 'organisation');
    res
      .status(200)
      .set(REPORT_HEADERS)
      .send(
        organisationPage(
          root?.name ?? 'Organisation',
          orgId,
          heatmap,
          tree,
          participation,
          viewerOf(req),
        ),
      );
  }
}
