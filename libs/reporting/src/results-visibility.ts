import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  anonymitySettingsOrDefault,
  ownGroupId,
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
 * own snapshot, so decisions and numbers agree.
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
    const units = await sql.query<UnitNode[]>(
      `select id, parent_id as "parentId", name, kind from unit where organisation_id = $1`,
      [organisationId],
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
    for (const d of stored) {
      byRound.get(d.roundId)?.set(d.own ? ownGroupId(d.unitId) : d.unitId, {
        shown: d.shown,
        respondents: d.respondents,
        reason: d.reason,
      });
    }
    return {
      byRound,
      k: anonymitySettingsOrDefault(settings).minGroupSize,
      rootId: units.find((u) => u.parentId === null)?.id,
      units,
    };
  }
}
