import type { EntityManager } from 'typeorm';
import type { Composition } from '@trellis/anonymity';

/**
 * Every composition a derivation of a round has shown (`round_shown_composition`). Unlike the
 * results it outlives re-aggregation: someone may have read it, so later derivations of the
 * round are held to it (no subtraction over time).
 */
export async function shownCompositions(
  tx: EntityManager,
  roundId: string,
): Promise<Composition[]> {
  const rows = await tx.query<{ composition: Record<string, number> }[]>(
    `select composition from round_shown_composition where round_id = $1`,
    [roundId],
  );
  return rows.map((r) => new Map(Object.entries(r.composition)));
}

/** Adds what this derivation shows; a composition already recorded is kept once. */
export async function recordShown(
  tx: EntityManager,
  roundId: string,
  shown: readonly Composition[],
): Promise<void> {
  if (!shown.length) return;
  await tx.query(
    `insert into round_shown_composition (round_id, key, composition)
     select $1, md5(c::text), c from jsonb_array_elements($2::jsonb) c
     on conflict do nothing`,
    [roundId, JSON.stringify(shown.map((c) => Object.fromEntries(c)))],
  );
}
