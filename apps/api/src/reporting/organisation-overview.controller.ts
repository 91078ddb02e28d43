import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { Audited } from '../audit/audited.decorator';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { OrganisationOverviewPage } from './organisation-overview.page';
import { OrganisationOverviewService } from './organisation-overview.service';
import { HeatmapQuery } from './reports.controller';

/**
 * The organisation overview page: the access rules and audit entry of the heatmap route
 * (GET /organisations/:orgId/heatmap), the numbers of the services its JSON routes use.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class OrganisationOverviewController {
  constructor(
    private readonly overviews: OrganisationOverviewService,
    private readonly pages: Pages,
  ) {}

  @Get('organisations/:orgId')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('heatmap.view', { kind: 'organisation', param: 'orgId' }, { before: true })
  async overview(
    @Param('orgId') orgId: string,
    @Query() query: HeatmapQuery,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const overview = await this.overviews.overview(orgId, query.round ?? query.roundId);
    this.pages.send(req, res, h(OrganisationOverviewPage, { overview }));
  }
}
