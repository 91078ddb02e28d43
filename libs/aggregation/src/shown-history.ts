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

/**
 * A composition as a JSON object, written out directly: `Object.fromEntries` over thousands of
 * maps keyed by unit ids gave V8 a new object shape for nearly every one, and cost more than the
 * statement storing them. PostgreSQL keeps jsonb keys in an order of its own, so the stored
 * composition and its key do not depend on the order written here.
 */
function compositionJson(c: Composition): string {
  let members = '';
  for (const [group, n] of c)
    members += `${members ? ',' : ''}${JSON.stringify(group)}:${JSON.stringify(n)}`;
  return `{${members}}`;
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
    [roundId, `[${shown.map(compositionJson).join(',')}]`],
  );
}
