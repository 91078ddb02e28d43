import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService, type AuditActor } from '@trellis/audit';
import { notFound } from '@trellis/errors';
import { changeBetween, type Change } from '@trellis/scoring';
import {
  type CommitmentChangeDraft,
  type CommitmentDraft,
  type CommitmentStatus,
  isOverdue,
  readCommitment,
  readCommitmentChange,
} from './commitment-rules';
import { ReportsService, type UnitReport } from './reports.service';

export interface CommitmentView {
  id: string;
  unitId: string;
  roundId: string | null;
  flagCode: string | null;
  dimension: string;
  action: string;
  owner: string;
  dueOn: string;
  status: CommitmentStatus;
  /** Why it was marked done or dropped (or anything the leader noted); null when none. */
  note: string | null;
  /** Still open and its due date has passed everywhere (commitment-rules.ts, earliestToday). */
  overdue: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** How the dimension moved from the baseline round to the latest shown one; null until there is one. */
  progress: { since: string; latest: string; change: Change } | null;
}

const VIEW = `select id, unit_id as "unitId", round_id as "roundId", flag_code as "flagCode", dimension, action, owner,
  to_char(due_on, 'YYYY-MM-DD') as "dueOn", status, note, created_at as "createdAt", updated_at as "updatedAt"
  from commitment`;

interface TrendDimension {
  key: string;
  n: number;
  mean: number | null;
  se: number | null;
}

/**
 * Commitments are small experiments: what the team will try, who owns it, by when, and which
 * dimension should move. Their follow-up compares later rounds with the baseline, interval and
 * all, and only ever with rounds the anonymity rules let the team see.
 */
@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: ReportsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records a commitment from what a client sent (a JSON body or a form), checked here and only
   * here (commitment-rules.ts): InvalidInput names every problem, and nothing is written. The
   * audit entry is written in the same transaction: no commitment without its entry.
   */
  async create(unitId: string, by: AuditActor, draft: CommitmentDraft): Promise<CommitmentView> {
    const [unit] = await this.db.query<{ organisationId: string }[]>(
      `select organisation_id as "organisationId" from unit where id = $1`,
      [unitId],
    );
    if (!unit) throw notFound('unit');
    const report = await this.reports.unitReport(unitId);
    const input = readCommitment(draft, {
      dimensions: new Set(
        report.trends.flatMap((t) => (t.shown ? t.dimensions.map((d) => d.key) : [])),
      ),
      rounds: new Set(report.trends.map((t) => t.round.id)),
    });
    const baseline = input.roundId
      ? report.trends.find((t) => t.round.id === input.roundId)
      : report.trends.at(-1);
    const row = await this.db.transaction(async (tx) => {
      const [created] = await tx.query<{ id: string }[]>(
        `insert into commitment (organisation_id, unit_id, round_id, flag_code, dimension, action, owner, due_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
        [
          unit.organisationId,
          unitId,
          baseline?.round.id ?? null,
          input.flagCode ?? null,
          input.dimension,
          input.action,
          input.owner,
          input.dueOn,
          by.personId,
        ],
      );
      await this.audit.record(
        by,
        {
          action: 'commitment.create',
          targetKind: 'unit',
          targetId: unitId,
          detail: { commitmentId: created.id, dimension: input.dimension, dueOn: input.dueOn },
        },
        tx,
      );
      return created;
    });
    return (await this.list(unitId)).find((c) => c.id === row.id)!;
  }

  /**
   * Changes a commitment: its words, owner or date, or marks it done or dropped with a note. The
   * row is locked while the change is checked against it (a date already past may stay, but not
   * be moved to), so two edits cannot both pass on a stale date.
   */
  async update(
    commitmentId: string,
    by: AuditActor,
    draft: CommitmentChangeDraft,
  ): Promise<CommitmentView> {
    const unitId = await this.db.transaction(async (tx) => {
      const [current] = await tx.query<{ unitId: string; dueOn: string }[]>(
        `select unit_id as "unitId", to_char(due_on, 'YYYY-MM-DD') as "dueOn"
           from commitment where id = $1 for update`,
        [commitmentId],
      );
      if (!current) throw notFound('commitment');
      const input = readCommitmentChange(draft, current);
      await tx.query(
        `update commitment set status = coalesce($2, status), action = coalesce($3, action),
                owner = coalesce($4, owner), due_on = coalesce($5::date, due_on),
                note = case when $6::text is null then note else nullif($6, '') end, updated_at = now()
          where id = $1`,
        [
          commitmentId,
          input.status ?? null,
          input.action ?? null,
          input.owner ?? null,
          input.dueOn ?? null,
          input.note ?? null,
        ],
      );
      await this.audit.record(
        by,
        {
          action: 'commitment.update',
          targetKind: 'unit',
          targetId: current.unitId,
          // What changed, not the words: the entry says who closed or moved what, and when.
          detail: {
            commitmentId,
            fields: Object.keys(input),
            ...(input.status ? { status: input.status } : {}),
            ...(input.dueOn ? { dueOn: input.dueOn } : {}),
          },
        },
        tx,
      );
      return current.unitId;
    });
    return (await this.list(unitId)).find((c) => c.id === commitmentId)!;
  }

  /** One commitment as the list shows it, for its edit page. */
  async get(commitmentId: string): Promise<CommitmentView> {
    const [row] = await this.db.query<{ unitId: string }[]>(
      `select unit_id as "unitId" from commitment where id = $1`,
      [commitmentId],
    );
    if (!row) throw notFound('commitment');
    return (await this.list(row.unitId)).find((c) => c.id === commitmentId)!;
  }

  /** Pass the unit's report when you already have it, to spare reading it twice. */
  async list(unitId: string, report?: Pick<UnitReport, 'trends'>): Promise<CommitmentView[]> {
    const rows = await this.db.query<Omit<CommitmentView, 'progress' | 'overdue'>[]>(
      `${VIEW} where unit_id = $1 order by created_at desc, id`,
      [unitId],
    );
    if (!rows.length) return [];
    const { trends } = report ?? (await this.reports.unitReport(unitId));
    const dimensionIn = (roundId: string | null, key: string): TrendDimension | undefined => {
      const trend = trends.find((t) => t.round.id === roundId);
      return trend && 'dimensions' in trend
        ? trend.dimensions.find((d) => d.key === key)
        : undefined;
    };
    return rows.map((c) => {
      const start = trends.findIndex((t) => t.round.id === c.roundId);
      const later =
        start < 0
          ? undefined
          : trends
              .slice(start + 1)
              .reverse()
              .find((t) => 'dimensions' in t);
      const before = dimensionIn(c.roundId, c.dimension);
      const after = later ? dimensionIn(later.round.id, c.dimension) : undefined;
      const change = before && after ? changeBetween(before, after, c.dimension) : null;
      return {
        ...c,
        overdue: isOverdue(c),
        progress:
          change && later
            ? { since: trends[start].round.periodStart, latest: later.round.periodStart, change }
            : null,
      };
    });
  }
}
