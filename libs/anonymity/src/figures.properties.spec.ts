import fc from 'fast-check';
import { decideFigure } from './figures';
import { duplicateAnswers } from './people';
import { TreeFacts, safeDifference, treeArb } from './testing/trees';
import { decideVisibility, type UnitRespondents } from './visibility';

/**
 * The attacker again, now per figure and with people in two teams: given only the figures that
 * are shown, can any subtraction isolate between 1 and k−1 people?
 */
const settingsFor = (k: number) => ({ minGroupSize: k, minCommentGroup: Math.max(10, k) });
const closed = { roundClosed: true };
const BRUTE_FORCE_LIMIT = 12;

/** Every disjoint set (antichain) of `candidates` beneath `top`, as id lists. */
function* antichains(facts: TreeFacts, candidates: string[]): Generator<string[]> {
  if (candidates.length > BRUTE_FORCE_LIMIT) return;
  for (let mask = 1; mask < 1 << candidates.length; mask++) {
    const subset = candidates.filter((_, i) => mask & (1 << i));
    if (subset.every((a) => subset.every((b) => a === b || !facts.isAncestor(a, b)))) yield subset;
  }
}

/** A tree, and for every unit how many of its respondents answered one dimension. */
const figureArb = treeArb().chain((tree) =>
  fc
    .tuple(...tree.units.map((u) => fc.integer({ min: 0, max: u.respondents })))
    .map((counts) => ({ ...tree, counts: tree.units.map((u, i) => ({ ...u, n: counts[i] })) })),
);

describe('decideFigure against an attacker', () => {
  it('shows a figure only where its unit is shown and k people answered it', () => {
    fc.assert(
      fc.property(figureArb, ({ units, k, counts }) => {
        const unitDecision = decideVisibility(units, closed, settingsFor(k));
        const facts = new TreeFacts(counts.map((c) => ({ ...c, respondents: c.n })));
        for (const [id, f] of decideFigure(counts, unitDecision, settingsFor(k))) {
          expect(f.n).toBe(facts.totals.get(id));
          if (f.shown) {
            expect(unitDecision.get(id)?.shown).toBe(true);
            expect(f.n).toBeGreaterThanOrEqual(k);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a shown figure minus shown figures beneath it isolate 1..k−1 people', () => {
    fc.assert(
      fc.property(figureArb, ({ units, k, counts }) => {
        const unitDecision = decideVisibility(units, closed, settingsFor(k));
        const figure = decideFigure(counts, unitDecision, settingsFor(k));
        const facts = new TreeFacts(counts.map((c) => ({ ...c, respondents: c.n })));
        const shown = new Set([...figure].filter(([, f]) => f.shown).map(([id]) => id));
        for (const top of shown) {
          const below = facts.descendants(top).filter((id) => shown.has(id));
          for (const subset of antichains(facts, below)) {
            const rest = subset.reduce(
              (r, id) => r - (facts.totals.get(id) ?? 0),
              facts.totals.get(top) ?? 0,
            );
            if (!safeDifference(rest, k))
              throw new Error(`${top} minus [${subset.join(', ')}] leaves ${rest} < k = ${k}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never shows more figures than the unit decision, and none when k rises past them', () => {
    fc.assert(
      fc.property(figureArb, fc.integer({ min: 1, max: 5 }), ({ units, k, counts }, rise) => {
        const higher = settingsFor(k + rise);
        const figure = decideFigure(counts, decideVisibility(units, closed, higher), higher);
        for (const [, f] of figure) if (f.shown) expect(f.n).toBeGreaterThanOrEqual(k + rise);
      }),
      { numRuns: 300 },
    );
  });
});

/** A tree whose answers come from people, some of whom answered in two units. */
const peopleArb = treeArb(14).chain((tree) =>
  fc
    .array(
      fc.tuple(fc.nat({ max: tree.units.length - 1 }), fc.nat({ max: tree.units.length - 1 })),
      { maxLength: 6 },
    )
    .map((shared) => {
      const answers: { personId: string; unitId: string }[] = [];
      tree.units.forEach((u, i) => {
        for (let p = 0; p < u.respondents; p++)
          answers.push({ personId: `p${i}-${p}`, unitId: u.id });
      });
      shared.forEach(([a, b], i) => {
        if (a === b) return;
        answers.push({ personId: `s${i}`, unitId: tree.units[a].id });
        answers.push({ personId: `s${i}`, unitId: tree.units[b].id });
      });
      const units: UnitRespondents[] = tree.units.map((u) => ({
        ...u,
        respondents: answers.filter((x) => x.unitId === u.id).length,
      }));
      return { units, k: tree.k, answers };
    }),
);

describe('a person in two teams counts once', () => {
  it('no shown unit, nor any shown unit minus shown units beneath it, holds 1..k−1 distinct people', () => {
    fc.assert(
      fc.property(peopleArb, ({ units, k, answers }) => {
        const facts = new TreeFacts(units);
        const duplicates = duplicateAnswers(units, answers);
        const decision = decideVisibility(units, closed, settingsFor(k), duplicates);
        const under = (id: string) => {
          const inside = new Set([id, ...facts.descendants(id)]);
          return answers.filter((a) => inside.has(a.unitId));
        };
        const people = (list: { personId: string }[]) => new Set(list.map((a) => a.personId)).size;
        const shown = new Set([...decision].filter(([, v]) => v.shown).map(([id]) => id));
        for (const top of shown) {
          expect(decision.get(top)?.respondents).toBe(people(under(top)));
          expect(people(under(top))).toBeGreaterThanOrEqual(k);
          const below = facts.descendants(top).filter((id) => shown.has(id));
          for (const subset of antichains(facts, below)) {
            // Aggregates add answers, so the difference is the answers left over, whoever gave them.
            const taken = new Set(subset.flatMap((id) => [id, ...facts.descendants(id)]));
            const rest = under(top).filter((a) => !taken.has(a.unitId));
            if (rest.length > 0 && people(rest) < k)
              throw new Error(`${top} minus [${subset.join(', ')}] leaves ${people(rest)} people`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts duplicates only where two of a person’s teams meet', () => {
    const units = [
      { id: 'org', parentId: null },
      { id: 'eng', parentId: 'org' },
      { id: 'a', parentId: 'eng' },
      { id: 'b', parentId: 'eng' },
      { id: 'sales', parentId: 'org' },
    ];
    const duplicates = duplicateAnswers(units, [
      { personId: 'x', unitId: 'a' },
      { personId: 'x', unitId: 'b' },
      { personId: 'y', unitId: 'a' },
      { personId: 'y', unitId: 'sales' },
      { personId: 'z', unitId: 'gone' },
    ]);
    expect([...duplicates].sort()).toEqual([
      ['eng', 1],
      ['org', 2],
    ]);
  });
});
