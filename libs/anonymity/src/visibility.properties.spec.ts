import fc from 'fast-check';
import { TreeFacts, safeDifference, treeArb } from './testing/trees';
import { decideVisibility, type UnitVisibility } from './visibility';

/**
 * The tests act as the attacker: given only what is shown, can any subtraction of shown
 * aggregates isolate between 1 and k−1 people?
 */
const settingsFor = (k: number) => ({ minGroupSize: k, minCommentGroup: Math.max(10, k) });
const closed = { roundClosed: true };
const RUNS = { numRuns: 400 };
/** Above this many shown descendants the subset check switches from brute force to sums. */
const BRUTE_FORCE_LIMIT = 14;

const shownIds = (decision: Map<string, UnitVisibility>): string[] =>
  [...decision].filter(([, v]) => v.shown).map(([id]) => id);

/** Every sum Σ S.respondents over antichains S of shown units strictly beneath `id`. */
function antichainSums(facts: TreeFacts, shown: Set<string>, id: string): Set<number> {
  let sums = new Set([0]);
  for (const child of facts.children.get(id) ?? []) {
    // A child contributes nothing, its whole aggregate if shown, or an antichain inside it.
    const options = antichainSums(facts, shown, child);
    if (shown.has(child)) options.add(facts.totals.get(child) ?? 0);
    const next = new Set<number>();
    for (const a of sums) for (const b of options) next.add(a + b);
    sums = next;
  }
  return sums;
}

describe('decideVisibility against an attacker', () => {
  it('shows only units with at least k respondents, and reports every aggregate count', () => {
    fc.assert(
      fc.property(treeArb(), ({ units, k }) => {
        const facts = new TreeFacts(units);
        const decision = decideVisibility(units, closed, settingsFor(k));
        expect(decision.size).toBe(units.length);
        for (const [id, v] of decision) {
          expect(v.respondents).toBe(facts.totals.get(id));
          if (v.shown) expect(v.respondents).toBeGreaterThanOrEqual(k);
          expect(v.reason === 'below_minimum').toBe(v.respondents < k);
          expect(v.shown).toBe(v.reason === 'shown');
        }
      }),
      RUNS,
    );
  });

  it('never lets a shown unit minus any disjoint set of its shown descendants isolate 1..k−1 people (brute force)', () => {
    fc.assert(
      fc.property(treeArb(), ({ units, k }) => {
        const facts = new TreeFacts(units);
        const decision = decideVisibility(units, closed, settingsFor(k));
        const shown = new Set(shownIds(decision));
        for (const top of shown) {
          const below = facts.descendants(top).filter((id) => shown.has(id));
          if (below.length > BRUTE_FORCE_LIMIT) continue;
          for (let mask = 1; mask < 1 << below.length; mask++) {
            const subset = below.filter((_, i) => mask & (1 << i));
            const disjoint = subset.every((a) =>
              subset.every((b) => a === b || !facts.isAncestor(a, b)),
            );
            if (!disjoint) continue;
            const rest = subset.reduce(
              (r, id) => r - (facts.totals.get(id) ?? 0),
              facts.totals.get(top) ?? 0,
            );
            if (!safeDifference(rest, k)) {
              throw new Error(`${top} minus [${subset.join(', ')}] leaves ${rest} < k = ${k}`);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lets a shown unit minus any disjoint set of its shown descendants isolate 1..k−1 people (all subsets, any size)', () => {
    fc.assert(
      fc.property(treeArb(), ({ units, k }) => {
        const facts = new TreeFacts(units);
        const shown = new Set(shownIds(decideVisibility(units, closed, settingsFor(k))));
        for (const top of shown) {
          const total = facts.totals.get(top) ?? 0;
          for (const sum of antichainSums(facts, shown, top)) {
            if (!safeDifference(total - sum, k)) {
              throw new Error(`${top} (${total}) minus shown descendants worth ${sum} < k = ${k}`);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('keeps every difference between two nested shown units at 0 or ≥ k', () => {
    fc.assert(
      fc.property(treeArb(), ({ units, k }) => {
        const facts = new TreeFacts(units);
        const shown = shownIds(decideVisibility(units, closed, settingsFor(k)));
        for (const outer of shown) {
          for (const inner of facts.descendants(outer).filter((id) => shown.includes(id))) {
            const gap = (facts.totals.get(outer) ?? 0) - (facts.totals.get(inner) ?? 0);
            expect(safeDifference(gap, k)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('shows nothing from an open round, whatever the sizes', () => {
    fc.assert(
      fc.property(treeArb(), ({ units, k }) => {
        const facts = new TreeFacts(units);
        for (const [id, v] of decideVisibility(units, { roundClosed: false }, settingsFor(k))) {
          expect(v).toEqual({
            shown: false,
            respondents: facts.totals.get(id),
            reason: 'round_open',
          });
        }
      }),
      RUNS,
    );
  });

  it('decides the same however often and in whatever order the units arrive', () => {
    fc.assert(
      fc.property(
        treeArb().chain((tree) =>
          fc.tuple(
            fc.constant(tree),
            fc.shuffledSubarray(tree.units, { minLength: tree.units.length }),
          ),
        ),
        ([{ units, k }, shuffled]) => {
          const first = decideVisibility(units, closed, settingsFor(k));
          const again = decideVisibility(units, closed, settingsFor(k));
          const reordered = decideVisibility(shuffled, closed, settingsFor(k));
          expect([...again]).toEqual([...first]);
          expect([...reordered]).toEqual([...first]);
        },
      ),
      RUNS,
    );
  });

  it('never shows more units when k rises', () => {
    fc.assert(
      fc.property(treeArb(), fc.integer({ min: 1, max: 5 }), ({ units, k }, rise) => {
        const lower = decideVisibility(units, closed, settingsFor(k));
        const higher = decideVisibility(units, closed, settingsFor(k + rise));
        for (const [id, v] of higher) if (v.shown) expect(lower.get(id)?.shown).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
