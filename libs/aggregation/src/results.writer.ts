import type { EntityManager } from 'typeorm';

const TABLES = [
  'flag',
  'leader_self_result',
  'team_round',
  'organisation_result',
  'item_result',
  'unit_result',
] as const;

/** Replaces a round's results wholesale: the same inputs always leave exactly the same rows. */
export async function clearResults(tx: EntityManager, roundId: string): Promise<void> {
  for (const table of TABLES) await tx.query(`delete from ${table} where round_id = $1`, [roundId]);
}

/**
 * Inserts many rows in one statement: the rows travel as one JSON array and PostgreSQL unpacks
 * them with the table's own column types.
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
    `insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
}
