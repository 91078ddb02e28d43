import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommitmentsService, ReportsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { CreateCommitmentDto } from '../reporting/reports.controller';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { REPORT_HEADERS, unitReportPage } from './report-pages';
import { formProblems } from './form-problems';
import { viewerOf } from './viewer';

/** The same rules as the JSON API's CreateCommitmentDto, with messages that read on a form. */
async function commitmentProblems(
  values: Record<string, string>,
): Promise<{ field: string; message: string }[]> {
  const dto = plainToInstance(CreateCommitmentDto, {
    ...values,
    flagCode: values.flagCode || undefined,
  });
  return formProblems(await validate(dto, { whitelist: true }), LABELS);
}

const LABELS: Record<string, string> = {
  action: 'What the team will try',
  owner: 'Who owns it',
  dueOn: 'By when',
  dimension: 'Which dimension',
  flagCode: 'In answer to',
};

/**
 * The report pages: the same ReportsService (and so the same anonymity decisions) as the JSON
 * API, drawn with Chart.js served from this server. The access guard decides who may see what,
 * exactly as for GET /units/:unitId/report.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class ReportPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly commitments: CommitmentsService,
  ) {}

  @Get('units/:unitId/report')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @Audited('report.view', { kind: 'unit', param: 'unitId' }, { before: true })
  async unitReport(
    @Param('unitId') unitId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.reports.unitReport(unitId);
    const list = await this.commitments.list(unitId, report);
    res
      .status(200)
      .set(REPORT_HEADERS)
      .send(unitReportPage(report, viewerOf(req), { unitId, list }));
  }

  /** The report's commitment form; on a problem the report comes back with the form as it was sent. */
  @Post('units/:unitId/commitments')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  async addCommitment(
    @Param('unitId') unitId: string,
    // Undefined when the body was of a type no parser reads: an empty form.
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const values = Object.fromEntries(
      ['action', 'owner', 'dueOn', 'dimension', 'flagCode'].map((k) => [
        k,
        typeof body?.[k] === 'string' ? body[k] : '',
      ]),
    );
    const problems = await commitmentProblems(values);
    if (!problems.length) {
      try {
        await this.commitments.create(unitId, req.principal!.personId, {
          action: values.action.trim(),
          owner: values.owner.trim(),
          dueOn: values.dueOn,
          dimension: values.dimension,
          flagCode: values.flagCode || undefined,
        });
        res.redirect(303, `/app/units/${unitId}/report#commitments`);
        return;
      } catch (error) {
        if (!(error instanceof HttpException) || error.getStatus() !== 400) throw error;
        const body = error.getResponse() as { errors?: { field: string; message: string }[] };
        problems.push(
          ...(body.errors ?? [{ field: 'action', message: 'the commitment could not be saved' }]),
        );
      }
    }
    const report = await this.reports.unitReport(unitId);
    const list = await this.commitments.list(unitId, report);
    res
      .status(400)
      .set(REPORT_HEADERS)
      .send(unitReportPage(report, viewerOf(req), { unitId, list, form: { values, problems } }));
  }
}
