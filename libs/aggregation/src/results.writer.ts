import type { EntityManager } from 'typeorm';

const TABLES = [
  'flag',
  'leader_self_result',
  'team_round',
  'organisation_result',
  'item_result',
  'unit_result',
  'round_unit_visibility',
] as const;

/** Replaces a round's results wholesale: the same inputs always leave exactly the same rows. */
export async function clearResults(tx: EntityManager, roundId: string): Promise<void> {
  for (const table of TABLES) await tx.query(`delete from ${table} where round_id = $1`, [roundId]);
}

/**
 * Inserts many rows in one statement: the rows travel as one JSON array and PostgreSQL unpacks
 * them with the table's own column types. As `json`, not `jsonb`: each value is read once into
 * its column, where `jsonb` first built (and key-sorted) a document of the whole array, for
 * the same values at about 1.7 times the cost.
 */
export async function insertRows(
  tx: EntityManager,
  table: (typeof TABLES)[number],
  rows: Record<string, unknown>[],
): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const list = columns.join(', ');
  await tx.query(
    `insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, $1::json)`,
    [JSON.stringify(rows)],
  );
}

export interface ItemResult {
  unitId: string;
  itemKey: string;
  n: number;
  mean: number | null;
  variance: number | null;
  rwg: number | null;
  distribution: number[];
}

/**
 * Item results are the most numerous rows a round writes (teams × items), so they travel as one
 * array per column instead of one JSON document: PostgreSQL unpacks arrays far faster.
 */
export async function insertItemResults(
  tx: EntityManager,
  roundId: string,
  rows: readonly ItemResult[],
): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `insert into item_result (round_id, unit_id, item_key, n, mean, variance, rwg, distribution)
     select $1, t.unit_id, t.item_key, t.n, t.mean, t.variance, t.rwg, t.distribution::int[]
       from unnest($2::uuid[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::text[])
            as t(unit_id, item_key, n, mean, variance, rwg, distribution)`,
    [
      roundId,
      rows.map((r) => r.unitId),
      rows.map((r) => r.itemKey),
      rows.map((r) => r.n),
      rows.map((r) => r.mean),
      rows.map((r) => r.variance),
      rows.map((r) => r.rwg),
      rows.map((r) => `{${r.distribution.join(',')}}`),
    ],
  );
}
