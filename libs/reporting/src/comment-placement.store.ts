import { duplicateAnswers, placeComments } from '@trellis/anonymity';
import type { Sql } from '@trellis/database';
import { anonymityOf } from '@trellis/organisation';
import type { ParticipationReader } from '@trellis/surveys';

export interface PlacementRow {
  /** Unit the comments were written in. */
  unitId: string;
  /** Unit they are read at; null when nowhere. */
  shownAt: string | null;
  /** People who commented there. */
  authors: number;
}

/**
 * A closed round's comment placement, decided once and then only read. The first reader of a
 * round decides it (under a per-round lock, so two first readers cannot decide on two trees),
 * on the tree and settings of that moment; afterwards a reorganisation or a new comment minimum
 * never moves a comment pool, because two placements of the same texts could be subtracted.
 * An open round has none: nothing of its comments is read. Counts are people: one `comment`
 * row holds one person's comments; a person in two teams may hold a row in each, so pools that
 * span teams are compared with the minimum less the answers of people counted twice there
 * (who answered where, never who commented).
 */
export async function roundPlacement(
  tx: Sql,
  roundId: string,
  participation: ParticipationReader,
): Promise<PlacementRow[] | null> {
  const [round] = await tx.query<{ organisationId: string; status: string }[]>(
    `select organisation_id as "organisationId", status from round where id = $1`,
    [roundId],
  );
  if (!round || round.status !== 'closed') return null;
  await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`comments:${roundId}`]);
  const stored = await readPlacement(tx, roundId);
  if (stored.length > 0) return stored;

  const units = await tx.query<{ id: string; parentId: string | null }[]>(
    `select id, parent_id as "parentId" from unit where organisation_id = $1`,
    [round.organisationId],
  );
  const counts = await tx.query<{ unitId: string; respondents: number; authors: number }[]>(
    `select u.id as "unitId",
            (select count(*) from response r where r.round_id = $1 and r.unit_id = u.id and r.kind = 'member')::int as respondents,
            (select count(*) from comment c where c.round_id = $1 and c.unit_id = u.id)::int as authors
       from unit u where u.organisation_id = $2`,
    [roundId, round.organisationId],
  );
  const byUnit = new Map(counts.map((c) => [c.unitId, c]));
  const settings = await anonymityOf(tx, round.organisationId);
  const duplicates = duplicateAnswers(units, await participation.answeredMembers(tx, roundId));
  const placement = placeComments(
    units.map((u) => ({
      id: u.id,
      parentId: u.parentId,
      respondents: byUnit.get(u.id)?.respondents ?? 0,
      comments: byUnit.get(u.id)?.authors ?? 0,
    })),
    { roundClosed: true },
    settings,
    duplicates,
  );
  const rows = counts
    .filter((c) => c.authors > 0)
    .map((c) => ({
      unitId: c.unitId,
      shownAt: placement.placedAt.get(c.unitId) ?? null,
      authors: c.authors,
    }));
  if (rows.length === 0) return [];
  await tx.query(
    `insert into comment_placement (organisation_id, round_id, unit_id, shown_at, authors)
     select $1, $2, p.unit_id, p.shown_at, p.authors
       from unnest($3::uuid[], $4::uuid[], $5::int[]) as p(unit_id, shown_at, authors)
     on conflict do nothing`,
    [
      round.organisationId,
      roundId,
      rows.map((r) => r.unitId),
      rows.map((r) => r.shownAt),
      rows.map((r) => r.authors),
    ],
  );
  return rows;
}

async function readPlacement(tx: Sql, roundId: string): Promise<PlacementRow[]> {
  return tx.query<PlacementRow[]>(
    `select unit_id as "unitId", shown_at as "shownAt", authors from comment_placement where round_id = $1`,
    [roundId],
  );
}
