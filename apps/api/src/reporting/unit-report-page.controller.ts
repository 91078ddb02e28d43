import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf, AuditService } from '@trellis/audit';
import { InvalidInput } from '@trellis/errors';
import { TeamReportService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { detailOf } from '../audit/audit.interceptor';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { COMMITMENT_FIELDS, type CommitmentFormState } from './commitments';
import { UnitReportQuery } from './reports.controller';
import { UnitReportPage } from './unit-report.page';

/**
 * The team report page and its commitment form: thin adapters over TeamReportService, the same
 * use case as GET /units/:unitId/report and POST /units/:unitId/commitments, with the same
 * access rules and audit entry. The form's values go to the service as they were typed; its
 * refusal (InvalidInput) comes back as the page with each problem beside its field.
 */
@ApiExcludeController()
@Controller('app/units/:unitId')
@UseFilters(PageExceptionFilter)
export class UnitReportPageController {
  constructor(
    private readonly teamReports: TeamReportService,
    private readonly audit: AuditService,
    private readonly pages: Pages,
  ) {}

  /**
   * Audited here, once the report is read and before it is sent, as GET /units/:unitId/report
   * is: a request refused for its query (an unknown round, a bad compare) writes nothing.
   */
  @Get('report')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  async report(
    @Param('unitId') unitId: string,
    @Query() query: UnitReportQuery,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.teamReports.teamReport(unitId, {
      roundId: query.round,
      compareId: query.compare || undefined,
    });
    await this.audit.record(actorOf(req.principal!), {
      action: 'report.view',
      targetKind: 'unit',
      targetId: unitId,
      detail: detailOf(req),
    });
    this.pages.send(req, res, h(UnitReportPage, { report }));
  }

  /** On success back to the report's commitments; on a problem the report with the form as sent. */
  @Post('commitments')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  async addCommitment(
    @Param('unitId') unitId: string,
    // Undefined when the body was of a type no parser reads: an empty form.
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const values = Object.fromEntries(
      COMMITMENT_FIELDS.map((k) => [k, typeof body?.[k] === 'string' ? body[k] : '']),
    ) as CommitmentFormState['values'];
    try {
      await this.teamReports.addCommitment(unitId, actorOf(req.principal!), values);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      // The domain's messages are written for the person ("Pick a date from today on").
      const problems = error.problems.map((p) => ({ field: p.field, message: p.message }));
      const report = await this.teamReports.teamReport(unitId);
      this.pages.send(req, res, h(UnitReportPage, { report, form: { values, problems } }), 400);
      return;
    }
    res.redirect(303, `${consolePaths.unitReport(unitId)}#commitments`);
  }
}
