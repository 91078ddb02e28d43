import fc from 'fast-check';
import { filterVisible, subsetVisible } from './filters';
import { TreeFacts, safeDifference, treeArb } from './testing/trees';
import { decideVisibility, type UnitRespondents } from './visibility';

const k5 = { minGroupSize: 5, minCommentGroup: 10 };
const closed = { roundClosed: true };

describe('subsetVisible', () => {
  it.each([
    [{ total: 20, subset: 20, complement: 0 }, true],
    [{ total: 20, subset: 0, complement: 20 }, true],
    [{ total: 20, subset: 15, complement: 5 }, true],
    [{ total: 20, subset: 16, complement: 4 }, false],
    [{ total: 20, subset: 1, complement: 19 }, false],
    [{ total: 0, subset: 0, complement: 0 }, true],
  ])('%p → %p', (counts, expected) => {
    expect(subsetVisible(counts, k5)).toBe(expected);
  });

  it('refuses counts that do not add up', () => {
    expect(() => subsetVisible({ total: 20, subset: 10, complement: 5 }, k5)).toThrow(/≠ total/);
    expect(() => subsetVisible({ total: 20, subset: 25, complement: -5 }, k5)).toThrow(RangeError);
  });

  it('asks exactly that both sides hold 0 or ≥ k', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.nat(100),
        fc.integer({ min: 3, max: 12 }),
        (subset, complement, k) => {
          const settings = { minGroupSize: k, minCommentGroup: 12 };
          expect(subsetVisible({ total: subset + complement, subset, complement }, settings)).toBe(
            safeDifference(subset, k) && safeDifference(complement, k),
          );
        },
      ),
    );
  });
});

describe('filterVisible', () => {
  const unit = (id: string, parentId: string | null, respondents = 0): UnitRespondents => ({
    id,
    parentId,
    respondents,
  });
  // org → sales (a 6, b 2, c 7) and ops (d 10); sales hides a, so its block is a + b.
  const org = [
    unit('org', null),
    unit('sales', 'org'),
    unit('a', 'sales', 6),
    unit('b', 'sales', 2),
    unit('c', 'sales', 7),
    unit('ops', 'org'),
    unit('d', 'ops', 10),
  ];
  const allBut = (...ids: string[]) => org.map((u) => u.id).filter((id) => !ids.includes(id));

  it('allows filters made of shown teams, and the organisation without one of them', () => {
    expect(filterVisible(org, closed, k5, ['c', 'd'])).toBe(true);
    expect(filterVisible(org, closed, k5, allBut('d'))).toBe(true);
    expect(filterVisible(org, closed, k5, allBut('c'))).toBe(true);
  });

  it('refuses a filter that splits a hidden remainder, even into parts of k or more', () => {
    // a (6) alone passes a pairwise check against sales (15 − 6 = 9), but sales − c − a = b (2).
    expect(filterVisible(org, closed, k5, ['a'])).toBe(false);
    expect(filterVisible(org, closed, k5, allBut('b'))).toBe(false);
    expect(filterVisible(org, closed, k5, ['a', 'b'])).toBe(true);
  });

  it('refuses everything from an open round and unknown units', () => {
    expect(filterVisible(org, { roundClosed: false }, k5, ['d'])).toBe(false);
    expect(() => filterVisible(org, closed, k5, ['nope'])).toThrow(/not in the hierarchy/);
  });

  it('takes people under no shown unit only all together and only k or more of them', () => {
    const forest = [unit('x', null, 3), unit('y', null, 3), unit('z', null, 8)];
    expect(filterVisible(forest, closed, k5, ['x', 'y'])).toBe(true);
    expect(filterVisible(forest, closed, k5, ['x'])).toBe(false);
    expect(filterVisible([unit('x', null, 3)], closed, k5, ['x'])).toBe(false);
  });

  it('keeps every combination of shown units and any two allowed filters at 0 or ≥ k people', () => {
    const arb = treeArb().chain((tree) =>
      fc.record({
        tree: fc.constant(tree),
        filters: fc.array(fc.subarray(tree.units.map((u) => u.id)), { minLength: 2, maxLength: 6 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ tree: { units, k }, filters }) => {
        const settings = { minGroupSize: k, minCommentGroup: 10 };
        const allowed = filters
          .filter((f) => filterVisible(units, closed, settings, f))
          .map((f) => new Set(f));
        const decision = decideVisibility(units, closed, settings);
        const facts = new TreeFacts(units);
        const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
        const shownAbove = (id: string): string[] => {
          const chain: string[] = [];
          for (let at: string | null = id; at !== null; at = parentOf.get(at) ?? null) {
            if (decision.get(at)?.shown) chain.push(at);
          }
          return chain;
        };
        // An atom: people in exactly the same shown aggregates and filters. Any sum or difference
        // of them is a union of atoms, so it is enough that every visible atom is 0 or ≥ k.
        const atoms = new Map<string, number>();
        for (const u of units) {
          const memberOf = [
            ...shownAbove(u.id),
            ...allowed.map((f, i) => (f.has(u.id) ? `filter${i}` : '')),
          ];
          if (memberOf.every((m) => m === '')) continue;
          const key = memberOf.join('|');
          atoms.set(key, (atoms.get(key) ?? 0) + u.respondents);
        }
        for (const [key, people] of atoms) {
          if (!safeDifference(people, k)) throw new Error(`atom ${key} holds ${people} < k = ${k}`);
        }
        // Each allowed filter also passes the pairwise check against every shown unit.
        for (const f of allowed) {
          for (const [id, v] of decision) {
            if (!v.shown) continue;
            const inside = [id, ...facts.descendants(id)]
              .filter((x) => f.has(x))
              .reduce((s, x) => s + (units.find((u) => u.id === x)?.respondents ?? 0), 0);
            expect(
              subsetVisible(
                { total: v.respondents, subset: inside, complement: v.respondents - inside },
                settings,
              ),
            ).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
