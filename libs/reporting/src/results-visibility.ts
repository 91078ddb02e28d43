import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  anonymitySettingsOrDefault,
  decideVisibility,
  ownGroupId,
  withOwnGroups,
  type UnitVisibility,
  type VisibilityReason,
} from '@trellis/anonymity';
import type { Sql } from '@trellis/database';

export interface UnitNode {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
}

export interface RoundsVisibility {
  /** Round id → unit id (and own-group id) → what may be shown. */
  byRound: Map<string, Map<string, UnitVisibility>>;
  /** The minimum group size in force. */
  k: number;
  rootId: string | undefined;
  units: UnitNode[];
}

interface StoredDecision {
  roundId: string;
  unitId: string;
  own: boolean;
  respondents: number;
  shown: boolean;
  reason: VisibilityReason;
}

/**
 * What of each closed round may be shown: the decision the anonymity module made when the
 * round was aggregated, stored beside its results (`round_unit_visibility`), never decided
 * again here. Deciding again on today's tree could show a unit the stored numbers were not
 * gated for (a team moved since, say); the results of a hidden group are not stored at all.
 * A unit the round did not concern is hidden with no respondents. Reports, pages, exports and
 * the data API all read results through this one place. `sql` lets a caller read inside its
 * own snapshot, so decisions and numbers agree. A round computed under another results basis
 * (tree, settings or earlier rounds since changed: `organisation.results_epoch`) shows nothing
 * until it is re-derived.
 */
@Injectable()
export class ResultsVisibility {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async decide(
    organisationId: string,
    roundIds: readonly string[],
    settings: unknown,
    sql: Sql = this.db,
  ): Promise<RoundsVisibility> {
    // The tree with the epoch it belongs to, in one statement, so the basis compared below is
    // the one these units were read under.
    const tree = await sql.query<(UnitNode & { epoch: string })[]>(
      `select u.id, u.parent_id as "parentId", u.name, u.kind, o.results_epoch::text as epoch
         from unit u join organisation o on o.id = u.organisation_id where u.organisation_id = $1`,
      [organisationId],
    );
    const units: UnitNode[] = tree.map(({ epoch: _epoch, ...unit }) => unit);
    const epochs = await sql.query<{ roundId: string; epoch: string | null }[]>(
      `select id as "roundId", results_epoch::text as epoch from round where id = any($1::uuid[])`,
      [roundIds],
    );
    const current = new Set(
      epochs.filter((r) => r.epoch !== null && r.epoch === tree[0]?.epoch).map((r) => r.roundId),
    );
    const stored = await sql.query<StoredDecision[]>(
      `select v.round_id as "roundId", v.unit_id as "unitId", v.own, v.respondents, v.shown, v.reason
         from round_unit_visibility v join round r on r.id = v.round_id
        where v.round_id = any($1::uuid[]) and r.organisation_id = $2`,
      [roundIds, organisationId],
    );
    const byRound = new Map<string, Map<string, UnitVisibility>>(
      roundIds.map((id) => [id, new Map()]),
    );
    const direct = new Map<string, Map<string, number>>();
    for (const d of stored) {
      if (!current.has(d.roundId)) {
        // Computed on another basis: nothing of it is shown until it is re-derived. Its counts
        // are rolled up again below, on today's tree, from each unit's own respondents.
        if (d.own)
          direct.set(
            d.roundId,
            (direct.get(d.roundId) ?? new Map<string, number>()).set(d.unitId, d.respondents),
          );
        continue;
      }
      byRound.get(d.roundId)?.set(d.own ? ownGroupId(d.unitId) : d.unitId, {
        shown: d.shown,
        respondents: d.respondents,
        reason: d.reason,
      });
    }
    for (const roundId of roundIds) {
      if (current.has(roundId)) continue;
      const own = direct.get(roundId) ?? new Map<string, number>();
      const counts = decideVisibility(
        withOwnGroups(
          units.map((u) => ({ id: u.id, parentId: u.parentId, respondents: own.get(u.id) ?? 0 })),
        ),
        { roundClosed: true },
        anonymitySettingsOrDefault(settings),
      );
      byRound.set(
        roundId,
        new Map(
          [...counts].map(([id, v]) => [
            id,
            { shown: false, respondents: v.respondents, reason: 'recomputing' as const },
          ]),
        ),
      );
    }
    return {
      byRound,
      k: anonymitySettingsOrDefault(settings).minGroupSize,
      rootId: units.find((u) => u.parentId === null)?.id,
      units,
    };
  }
}
