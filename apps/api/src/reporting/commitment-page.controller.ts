import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf } from '@trellis/audit';
import { InvalidInput } from '@trellis/errors';
import { TeamReportService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import {
  COMMITMENT_EDIT_FIELDS,
  CommitmentEditPage,
  type CommitmentEditState,
} from './commitment-edit.page';

/**
 * A commitment's edit page: a thin adapter over TeamReportService.changeCommitment, the same
 * use case (rules, access and audit entry) as PATCH /commitments/:id. On success back to the
 * commitment on its report; on a problem the form as sent, each problem beside its field.
 */
@ApiExcludeController()
@Controller('app/commitments/:commitmentId')
@UseFilters(PageExceptionFilter)
export class CommitmentPageController {
  constructor(
    private readonly teamReports: TeamReportService,
    private readonly pages: Pages,
  ) {}

  @Get()
  @Allow('commitment', 'commitmentId', ['hr', 'admin', 'leader'])
  async show(
    @Param('commitmentId') commitmentId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    this.pages.send(req, res, h(CommitmentEditPage, await this.editView(commitmentId)));
  }

  @Post()
  @Allow('commitment', 'commitmentId', ['hr', 'admin', 'leader'])
  async save(
    @Param('commitmentId') commitmentId: string,
    // Undefined when the body was of a type no parser reads: an empty form.
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const values = Object.fromEntries(
      COMMITMENT_EDIT_FIELDS.map((k) => [k, typeof body?.[k] === 'string' ? body[k] : '']),
    ) as CommitmentEditState['values'];
    // A form always sends every field; an unchosen status is no change, not a problem.
    const draft = { ...values, status: values.status || undefined };
    let unitId: string;
    try {
      ({ unitId } = await this.teamReports.changeCommitment(
        commitmentId,
        actorOf(req.principal!),
        draft,
      ));
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const form = { values, problems: error.problems.map((p) => ({ ...p })) };
      const view = await this.editView(commitmentId);
      this.pages.send(req, res, h(CommitmentEditPage, { ...view, form }), 400);
      return;
    }
    res.redirect(303, `${consolePaths.unitReport(unitId)}#commitment-${commitmentId}`);
  }

  private async editView(commitmentId: string) {
    const commitment = await this.teamReports.commitment(commitmentId);
    const report = await this.teamReports.teamReport(commitment.unitId);
    const latest = report.latest;
    const dimensionName =
      (latest && 'dimensions' in latest
        ? latest.dimensions.find((d) => d.key === commitment.dimension)?.name
        : undefined) ?? commitment.dimension;
    return { commitment, unitName: report.unit.name, dimensionName };
  }
}
