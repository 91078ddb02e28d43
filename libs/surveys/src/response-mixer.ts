import type { EntityManager } from 'typeorm';

/**
 * Moves a round's pooled answers into `response`, `answer` and `comment` in one statement, in
 * random order, with fresh random ids and the day of the move. Until this runs, an answer sits
 * in the pool; afterwards, nothing in a row, its position or its transaction pairs it with the
 * invitation that produced it. Returns how many responses moved.
 *
 * Mixes of one round take turns (a lock held to the end of the caller's transaction): two
 * concurrent mixes would otherwise both count a full batch, and the second, finding the first
 * took those rows, would move only the one or two that arrived in between, a batch small enough
 * to point at its authors.
 */
export async function mixPool(
  tx: EntityManager,
  roundId: string,
  minBatch: number,
  source: 'survey' | 'import' = 'survey',
): Promise<number> {
  await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`mix:${roundId}`]);
  const [{ waiting }] = await tx.query<{ waiting: number }[]>(
    `select count(*)::int as waiting from response_pool where round_id = $1`,
    [roundId],
  );
  if (waiting === 0 || waiting < minBatch) return 0;
  const [{ moved }] = await tx.query<{ moved: number }[]>(
    `with taken as (delete from response_pool where round_id = $1 returning *),
     shuffled as materialized (select gen_random_uuid() as rid, t.* from taken t order by random()),
     responses as (
       insert into response (id, organisation_id, round_id, unit_id, kind, source, submitted_on)
       select rid, organisation_id, round_id, unit_id, 'member', $2, current_date from shuffled),
     answers as (
       insert into answer (response_id, item_key, value)
       select s.rid, a.key, a.value::smallint from shuffled s cross join lateral jsonb_each_text(s.answers) a),
     comments as (
       insert into comment (organisation_id, round_id, unit_id, body, submitted_on)
       select organisation_id, round_id, unit_id, comment, current_date from shuffled
        where comment is not null order by random())
     select count(*)::int as moved from shuffled`,
    [roundId, source],
  );
  return moved;
}

/** The smallest batch that leaves the pool while a round is open: the anonymity minimum. */
export const MIX_BATCH = 5;
