import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@trellis/audit';
import { type CommitmentChangeDraft, type CommitmentDraft } from './commitment-rules';
import { CommitmentsService, type CommitmentView } from './commitments.service';
import { ReportsService, type UnitReport } from './reports.service';

/** A team's report with its commitments: what the JSON API returns and the report page shows. */
export interface TeamReportView extends UnitReport {
  /** Newest first, each with how its dimension moved since (only over shown rounds). */
  commitments: CommitmentView[];
}

/**
 * The use case "a report with its commitments", once. GET /units/:unitId/report and the page
 * /app/units/:unitId/report both call teamReport; POST /units/:unitId/commitments and the page's
 * form both call addCommitment, which checks the draft (commitment-rules.ts) and refuses it
 * with InvalidInput. The controllers only translate.
 */
@Injectable()
export class TeamReportService {
  constructor(
    private readonly reports: ReportsService,
    private readonly commitments: CommitmentsService,
  ) {}

  /** `roundId` picks the round (the latest by default), `compareId` an earlier one to compare with. */
  async teamReport(
    unitId: string,
    choice: { roundId?: string; compareId?: string } = {},
  ): Promise<TeamReportView> {
    const report = await this.reports.unitReport(unitId, choice);
    return { ...report, commitments: await this.commitments.list(unitId, report) };
  }

  addCommitment(unitId: string, by: AuditActor, draft: CommitmentDraft): Promise<CommitmentView> {
    return this.commitments.create(unitId, by, draft);
  }

  /** PATCH /commitments/:id and the commitment's edit page: edit, or mark done or dropped. */
  changeCommitment(
    commitmentId: string,
    by: AuditActor,
    draft: CommitmentChangeDraft,
  ): Promise<CommitmentView> {
    return this.commitments.update(commitmentId, by, draft);
  }

  /** One commitment, for its edit page. */
  commitment(commitmentId: string): Promise<CommitmentView> {
    return this.commitments.get(commitmentId);
  }
}
