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
    const units = await sql.query<UnitNode[]>(
      `select id, parent_id as "parentId", name, kind from unit where organisation_id = $1`,
      [organisationId],
    );
    const counts = await sql.query<{ roundId: string; unitId: string; respondents: number }[]>(
      `select round_id as "roundId", unit_id as "unitId", respondents from team_round where round_id = any($1::uuid[])`,
      [roundIds],
    );
    const perRound = new Map<string, Map<string, number>>(roundIds.map((id) => [id, new Map()]));
    for (const c of counts) perRound.get(c.roundId)?.set(c.unitId, c.respondents);
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
    return {
      byRound,
      k: anonymity.minGroupSize,
      rootId: units.find((u) => u.parentId === null)?.id,
      units,
    };
  }
}
