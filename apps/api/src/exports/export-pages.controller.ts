import {
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { ExportJobsService } from '@trellis/exports';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import type { FieldProblem } from '../views/components';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { DirectExportService } from './direct-export.service';
import { defaultExportValues, exportValuesOf, type ExportFormValues } from './export-form';
import { ExportPreparePage } from './export-prepare.page';
import { EXPORT_REFRESH_SECONDS, ExportStatusPage, isWorking } from './export-status.page';
import { ExportsPage } from './exports.page';
import { exportRequestOf, TrendExportsService, type ExportRequest } from './trend-exports.service';

/** The field problems of a refusal the API would answer with 400, or null for anything else. */
function problemsOf(error: unknown): FieldProblem[] | null {
  if (!(error instanceof HttpException) || error.getStatus() !== 400) return null;
  const body = error.getResponse() as { errors?: FieldProblem[] };
  return body.errors ?? [{ field: 'format', message: error.message }];
}

/**
 * Exports from a browser, over the API's own use cases: the form is read by the API's rules
 * (exportRequestOf), a small export streams through DirectExportService, a large one becomes a
 * background job through TrendExportsService (which writes its audit entry), and a background
 * job has a page that follows it to its file. Access exactly as the JSON export routes.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ExportPagesController {
  constructor(
    private readonly trendExports: TrendExportsService,
    private readonly directExport: DirectExportService,
    private readonly jobs: ExportJobsService,
    private readonly pages: Pages,
  ) {}

  /** The form again, with what was typed and each problem next to its field. */
  private async refuse(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    values: ExportFormValues,
    problems: FieldProblem[],
  ): Promise<void> {
    const choices = await this.trendExports.choices(orgId);
    this.pages.send(req, res, h(ExportsPage, { orgId, ...choices, values, problems }), 400);
  }

  /** The background job offered, with what it will hold in words. */
  private async offer(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    request: ExportRequest,
    tooLarge?: { rows: number; limit: number },
  ): Promise<void> {
    const unitId = request.filters.unitId;
    const unitName = unitId
      ? (await this.trendExports.unitTree(orgId)).find((u) => u.unit.id === unitId)?.unit.name
      : undefined;
    this.pages.send(req, res, h(ExportPreparePage, { orgId, request, unitName, tooLarge }));
  }

  @Get('organisations/:orgId/exports')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async page(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const choices = await this.trendExports.choices(orgId);
    this.pages.send(req, res, h(ExportsPage, { orgId, ...choices, values: defaultExportValues() }));
  }

  /** The form's "Download" (streams a small export) and "Prepare in the background". */
  @Get('organisations/:orgId/export')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async download(
    @Param('orgId') orgId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    // Which button was pressed is the page's own field; the rest is the API's export request.
    const { mode, ...fields } = query;
    let request: ExportRequest;
    try {
      request = await exportRequestOf(fields, 'query');
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      return this.refuse(req, res, orgId, exportValuesOf(fields), problems);
    }
    if (mode === 'background') return this.offer(req, res, orgId, request);
    const tooLarge = await this.directExport.stream(
      request.format,
      orgId,
      request.filters,
      req.principal!,
      res,
    );
    if (tooLarge) await this.offer(req, res, orgId, request, tooLarge);
  }

  @Post('organisations/:orgId/exports')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async prepare(
    @Param('orgId') orgId: string,
    // Undefined when the body was of a type no parser reads: an empty form.
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const request = await exportRequestOf(body, 'body');
      const created = await this.trendExports.create(orgId, req.principal!, request);
      res.redirect(303, consolePaths.exportStatus(created.id));
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      await this.refuse(req, res, orgId, exportValuesOf(body), problems);
    }
  }

  /** One background export; while it is being written the page looks again every few seconds. */
  @Get('exports/:exportId')
  @Allow('export', 'exportId', ['hr', 'admin'])
  async status(
    @Param('exportId') exportId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const e = await this.jobs.get(exportId);
    // The Refresh header, not a <meta>: the one layout keeps its head, and it works without JS.
    if (isWorking(e)) res.setHeader('refresh', String(EXPORT_REFRESH_SECONDS));
    this.pages.send(req, res, h(ExportStatusPage, { e, orgId: req.principal!.organisationId }));
  }
}
