import type { Client } from 'pg';
import { copyRows, type CopyValue } from '../support/copy';
import { benchSealer } from '../support/sealing';

export interface TeamMean {
  roundId: string;
  unitId: string;
  dimension: string;
  n: number;
  mean: number;
}

/**
 * The aggregation baseline: one hand-written query for every team's dimension means in every
 * round of an organisation, by the measurement model's rule (reverse keys applied; a person
 * counts for a dimension when they answered at least half of its asked items). This is the part
 * of the product's work every report depends on; the product computes much more besides (item
 * distributions, agreement, alpha, ICC, rollups, flags), which is why the goal allows 2×.
 * Answers are sealed at rest, so the baseline too opens them in Node first (into a temporary
 * table of the shape the old plaintext `answer` table had), as the product's aggregation does.
 */
const TEAM_MEANS = `
  with asked as (
    select r.id as round_id, ii.key, ii.dimension, ii.reverse_keyed, v.scale_min + v.scale_max as mirror,
           count(*) over (partition by r.id, ii.dimension) as items
      from round r
      join instrument_version v on v.id = r.instrument_version_id
      join instrument_item ii on ii.instrument_version_id = r.instrument_version_id and ii.key = any(r.item_keys)
     where r.organisation_id = $1 and r.status = 'closed'),
  -- "offset 0" keeps this join together: left to itself the planner joins every answer to every
  -- round's items by key first, several times the rows (1.3 s instead of 1.8 s here).
  answered as (
    select rs.id, rs.round_id, rs.unit_id, an.item_key, an.value
      from response rs join opened_answer an on an.response_id = rs.id
     where rs.organisation_id = $1 and rs.kind = 'member'
    offset 0),
  person as (
    select x.round_id, x.unit_id, a.dimension, a.items, count(*) as answered,
           avg(case when a.reverse_keyed then a.mirror - x.value else x.value end) as score
      from answered x join asked a on a.round_id = x.round_id and a.key = x.item_key
     group by x.round_id, x.unit_id, x.id, a.dimension, a.items)
  select round_id as "roundId", unit_id as "unitId", dimension, count(*)::int as n,
         avg(score)::float8 as mean
    from person
   where answered * 2 >= items
   group by round_id, unit_id, dimension`;

function* opened(
  responses: { id: string; round_id: string; unit_id: string; sealed: Buffer }[],
): Generator<CopyValue[]> {
  const sealer = benchSealer();
  for (const r of responses)
    for (const [key, value] of Object.entries(
      sealer.openAnswers(r.round_id, r.unit_id, 'member', r.sealed),
    ))
      yield [r.id, key, value];
}

export async function teamMeans(client: Client, organisationId: string): Promise<TeamMean[]> {
  const responses = await client.query<{
    id: string;
    round_id: string;
    unit_id: string;
    sealed: Buffer;
  }>(
    `select id, round_id, unit_id, sealed from response where organisation_id = $1 and kind = 'member'`,
    [organisationId],
  );
  await client.query('begin');
  try {
    await client.query(
      `create temp table opened_answer (response_id uuid, item_key text, value smallint) on commit drop`,
    );
    await copyRows(
      client,
      'opened_answer',
      ['response_id', 'item_key', 'value'],
      opened(responses.rows),
    );
    await client.query('analyze opened_answer');
    const { rows } = await client.query<TeamMean>(TEAM_MEANS, [organisationId]);
    await client.query('commit');
    return rows;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/**
 * Checks that the product's stored team results are the baseline's numbers, so the two sides
 * are known to compute the same thing before their times are compared. The product stores only
 * figures that may be shown (a team below k has none), so every stored result must be the
 * baseline's, not every baseline result stored.
 */
export async function checkAgainstProduct(
  client: Client,
  organisationId: string,
  expected: readonly TeamMean[],
): Promise<void> {
  const { rows } = await client.query<TeamMean>(
    `select ur.round_id as "roundId", ur.unit_id as "unitId", ur.dimension, ur.n, ur.mean
       from unit_result ur where ur.organisation_id = $1 and not ur.rollup`,
    [organisationId],
  );
  const key = (m: TeamMean) => `${m.roundId}|${m.unitId}|${m.dimension}`;
  const baseline = new Map(expected.map((m) => [key(m), m]));
  if (rows.length === 0) throw new Error('the product stored no team results');
  for (const s of rows) {
    const m = baseline.get(key(s));
    if (!m || s.n !== m.n || Math.abs(s.mean - m.mean) > 1e-9)
      throw new Error(`product and baseline differ at ${key(s)}: ${JSON.stringify([s, m])}`);
  }
}
