import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { actorOf, AuditService } from '@trellis/audit';
import { detailOf } from '../audit/audit.interceptor';
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
    private readonly audit: AuditService,
    private readonly pages: Pages,
  ) {}

  /**
   * Audited here, once the overview is read and before it is sent, as the heatmap route is: a
   * request refused for its query (an unknown round) writes nothing.
   */
  @Get('organisations/:orgId')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async overview(
    @Param('orgId') orgId: string,
    @Query() query: HeatmapQuery,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const overview = await this.overviews.overview(orgId, query.round ?? query.roundId);
    await this.audit.record(actorOf(req.principal!), {
      action: 'heatmap.view',
      targetKind: 'organisation',
      targetId: orgId,
      detail: detailOf(req),
    });
    this.pages.send(req, res, h(OrganisationOverviewPage, { overview }));
  }
}
