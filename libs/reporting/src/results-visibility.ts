import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  anonymitySettingsOrDefault,
  decideVisibility,
  withOwnGroups,
  type UnitVisibility,
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

/**
 * What of each closed round may be shown, decided over the whole organisation by the anonymity
 * module. Reports, pages, exports and the data API all read results through this one place.
 * `sql` lets a caller decide inside its own snapshot, so decisions and numbers agree.
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
    // The tree with the epoch it belongs to, then the counts with the epoch they were computed
    // on, each in one statement: a round is decided only when both are the same basis.
    const tree = await sql.query<(UnitNode & { epoch: string })[]>(
      `select u.id, u.parent_id as "parentId", u.name, u.kind, o.results_epoch::text as epoch
         from unit u join organisation o on o.id = u.organisation_id where u.organisation_id = $1`,
      [organisationId],
    );
    const units: UnitNode[] = tree.map(({ epoch: _epoch, ...unit }) => unit);
    const counts = await sql.query<
      { roundId: string; epoch: string | null; unitId: string | null; respondents: number }[]
    >(
      `select r.id as "roundId", r.results_epoch::text as epoch, tr.unit_id as "unitId", tr.respondents
         from round r left join team_round tr on tr.round_id = r.id where r.id = any($1::uuid[])`,
      [roundIds],
    );
    const perRound = new Map<string, Map<string, number>>(roundIds.map((id) => [id, new Map()]));
    const stale = new Set(roundIds);
    for (const c of counts) {
      if (c.epoch !== null && c.epoch === tree[0]?.epoch) stale.delete(c.roundId);
      if (c.unitId) perRound.get(c.roundId)?.set(c.unitId, c.respondents);
    }
    const anonymity = anonymitySettingsOrDefault(settings);
    const byRound = new Map<string, Map<string, UnitVisibility>>();
    for (const [roundId, respondents] of perRound) {
      byRound.set(
        roundId,
        decideVisibility(
          withOwnGroups(
            units.map((u) => ({
              id: u.id,
              parentId: u.parentId,
              respondents: respondents.get(u.id) ?? 0,
            })),
          ),
          { roundClosed: true },
          anonymity,
        ),
      );
    }
    // Computed on another tree or settings: nothing of it is shown until it is re-derived.
    for (const roundId of stale)
      for (const [id, v] of byRound.get(roundId) ?? [])
        byRound.get(roundId)!.set(id, { ...v, shown: false, reason: 'recomputing' });
    return {
      byRound,
      k: anonymity.minGroupSize,
      rootId: units.find((u) => u.parentId === null)?.id,
      units,
    };
  }
}
