import { compareCodeUnits, type Hierarchy } from './hierarchy';

export type Suppression = 'shown' | 'below_minimum' | 'complementary';

/**
 * Complementary suppression over a whole tree: which aggregates may be shown so that no
 * combination of them isolates between 1 and k−1 counted people.
 *
 * Why checking one number per unit is enough: call a shown unit's *remainder* its aggregate
 * minus the aggregates of its nearest shown descendants (looking through hidden units). The
 * remainders of the shown units partition everyone under a shown unit, and any sum or
 * difference of shown aggregates — a department minus some of its teams, the organisation
 * minus one department, a grandparent minus children and grandchildren — is a sum of whole
 * remainders. So if every remainder holds 0 or ≥ k, so does every such difference.
 *
 * Why one pass children-first suffices: hiding a unit changes only the remainder of its nearest
 * shown ancestor (units further up see that ancestor, units below are unaffected), and that
 * ancestor is processed later. When a unit is processed, everything beneath it is final, and
 * each shown descendant's remainder is already 0 or ≥ k.
 *
 * `eligible` decides the first cut (round open, too few people); this only ever hides more.
 *
 * `totals` count answers, which add up the tree the way stored aggregates do, so remainders are
 * exact differences of what is shown. A person in two teams answers twice and would be counted
 * twice: `duplicates` says, per unit, how many of the answers in its subtree come from someone
 * already counted there. Any set of answers under a unit then holds at least its size minus
 * that unit's duplicates in distinct people, and that lower bound is what must reach k.
 */
export function suppress(
  hierarchy: Hierarchy,
  totals: ReadonlyMap<string, number>,
  k: number,
  eligible: (id: string) => boolean,
  duplicates: ReadonlyMap<string, number> = new Map(),
): Map<string, Suppression> {
  const total = (id: string): number => totals.get(id) ?? 0;
  const twice = (id: string): number => duplicates.get(id) ?? 0;
  const state = new Map<string, Suppression>();
  for (const id of hierarchy.postOrder) {
    state.set(id, eligible(id) && total(id) - twice(id) >= k ? 'shown' : 'below_minimum');
  }
  const isShown = (id: string): boolean => state.get(id) === 'shown';

  for (const id of hierarchy.postOrder) {
    if (!isShown(id)) continue;
    for (;;) {
      const frontier = nearestShownBelow(hierarchy, id, isShown);
      const remainder = frontier.reduce((rest, unit) => rest - total(unit), total(id));
      if (remainder === 0 || remainder - twice(id) >= k) break;
      // The smallest shown aggregate costs the least to hide; ties by id keep it deterministic.
      // Hiding a unit whose own remainder is 0 changes nothing here but exposes its shown
      // descendants to the next round of this loop, which then hides one of those.
      const smallest = frontier.reduce<string | undefined>(
        (best, unit) =>
          best === undefined ||
          total(unit) < total(best) ||
          (total(unit) === total(best) && compareCodeUnits(unit, best) < 0)
            ? unit
            : best,
        undefined,
      );
      if (smallest === undefined) {
        // Unreachable while a shown unit holds ≥ k (an empty frontier leaves the remainder
        // equal to the aggregate); kept so the loop can never end with an unsafe remainder.
        state.set(id, 'complementary');
        break;
      }
      state.set(smallest, 'complementary');
    }
  }
  return state;
}

/** The shown units directly visible below `id`, looking through hidden ones. */
function nearestShownBelow(
  hierarchy: Hierarchy,
  id: string,
  isShown: (id: string) => boolean,
): string[] {
  const found: string[] = [];
  const stack = [...(hierarchy.children.get(id) ?? [])];
  for (let unit = stack.pop(); unit !== undefined; unit = stack.pop()) {
    if (isShown(unit)) found.push(unit);
    else stack.push(...(hierarchy.children.get(unit) ?? []));
  }
  return found;
}
