import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotificationsService } from '@trellis/notifications';
import { UnitsService } from '@trellis/organisation';
import { ReportsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { organisationPage, REPORT_HEADERS } from './report-pages';
import { viewerOf } from './viewer';

/**
 * The organisation overview page: the same ReportsService (and so the same anonymity decisions)
 * as the JSON API, its chart drawn by /assets/report.js. The access guard decides who may see
 * it, exactly as for GET /organisations/:orgId/heatmap. (The team report page moved to
 * reporting/unit-report-page.controller.ts.)
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ReportPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly units: UnitsService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get('organisations/:orgId')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('heatmap.view', { kind: 'organisation', param: 'orgId' }, { before: true })
  async organisation(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const [heatmap, participation, tree, notifications] = await Promise.all([
      this.reports.heatmap(orgId),
      this.reports.participation(orgId),
      this.units.list(orgId, { kind: 'organisation' }),
      this.notifications.list(orgId, { limit: 10 }),
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
          notifications,
        ),
      );
  }
}
