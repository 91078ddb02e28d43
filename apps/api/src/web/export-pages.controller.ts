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
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Response } from 'express';
import { actorOf, AuditService } from '@trellis/audit';
import { ExportJobsService, type TrendFilters } from '@trellis/exports';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { DirectExportService } from '../exports/direct-export.service';
import { CreateExportDto, filtersOf } from '../exports/exports.dto';
import { exportProblemsPage, exportStatusPage, exportTooLargePage } from './export-pages';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { REPORT_HEADERS } from './report-pages';
import { formProblems, type FormProblem } from './form-problems';
import { viewerOf } from './viewer';

type Problems = FormProblem[];
type Reading =
  { ok: true; format: 'csv' | 'xlsx'; filters: TrendFilters } | { ok: false; problems: Problems };

/** The overview's export form, read by the API's own rules (CreateExportDto, filtersOf). */
async function readForm(fields: unknown): Promise<Reading> {
  const dto = plainToInstance(CreateExportDto, fields ?? {});
  const errors = await validate(dto, { whitelist: true });
  if (errors.length) return { ok: false, problems: formProblems(errors) };
  try {
    return { ok: true, format: dto.format, filters: filtersOf(dto) };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const body = error.getResponse() as { errors?: Problems };
    return {
      ok: false,
      problems: named(body.errors ?? [{ field: 'filters', message: error.message }]),
    };
  }
}

/** The API's problems name their field apart; on a page the field leads the sentence. */
const named = (problems: Problems): Problems =>
  problems.map((p) => ({ ...p, message: `${p.field}: ${p.message}` }));

/** The form's problems as a page, with the status the API would give. */
function refuse(res: Response, req: AuthedRequest, orgId: string, problems: Problems): void {
  res
    .status(400)
    .set(REPORT_HEADERS)
    .send(exportProblemsPage(orgId, problems, viewerOf(req)));
}

/**
 * Exports from a browser: a small export goes straight to the download route, a large one is
 * offered as a background job, and a background job has a page that follows it to its file.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ExportPagesController {
  constructor(
    private readonly exports: ExportJobsService,
    private readonly directExport: DirectExportService,
    private readonly audit: AuditService,
  ) {}

  @Get('organisations/:orgId/export')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async download(
    @Param('orgId') orgId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const form = await readForm(query);
    if (!form.ok) return refuse(res, req, orgId, form.problems);
    // Streamed from here when small; otherwise the same export is offered as a background job.
    const tooLarge = await this.directExport.stream(
      form.format,
      orgId,
      form.filters,
      req.principal!,
      res,
    );
    if (tooLarge)
      res
        .status(200)
        .set(REPORT_HEADERS)
        .send(
          exportTooLargePage(
            orgId,
            { ...form.filters, format: form.format },
            tooLarge.rows,
            tooLarge.limit,
            viewerOf(req),
          ),
        );
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
    const form = await readForm(body);
    if (!form.ok) return refuse(res, req, orgId, form.problems);
    try {
      const created = await this.exports.create(
        orgId,
        req.principal!.personId,
        form.format,
        form.filters,
      );
      await this.audit.record(actorOf(req.principal!), {
        action: 'export.create',
        targetKind: 'organisation',
        targetId: orgId,
        detail: { format: form.format, filters: form.filters, exportId: created.id },
      });
      res.redirect(303, `/app/exports/${created.id}`);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 400) throw error;
      refuse(res, req, orgId, named((error.getResponse() as { errors?: Problems }).errors ?? []));
    }
  }

  @Get('exports/:exportId')
  @Allow('export', 'exportId', ['hr', 'admin'])
  async status(
    @Param('exportId') exportId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    res
      .status(200)
      .set(REPORT_HEADERS)
      .send(exportStatusPage(await this.exports.get(exportId), viewerOf(req)));
  }
}
