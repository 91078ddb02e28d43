import { organisationAnonymity, type AnonymitySettings } from '@trellis/anonymity';
import type { Sql } from '@trellis/database';

/**
 * The organisation's anonymity settings as stored now, read through libs/anonymity's one
 * function. `sql` lets a caller read inside its own transaction or snapshot, so the k it decides
 * with is the one its other reads belong to. An unknown organisation reads as the defaults, as
 * an empty settings object does; callers that must refuse one check it themselves.
 */
export async function anonymityOf(sql: Sql, organisationId: string): Promise<AnonymitySettings> {
  const [row] = await sql.query<{ settings: unknown }[]>(
    `select settings from organisation where id = $1`,
    [organisationId],
  );
  return organisationAnonymity(row?.settings);
}
