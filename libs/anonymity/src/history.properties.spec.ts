import fc from 'fast-check';
import { compositions, differingPeople, historyGuard, type Composition } from './history';
import { withOwnGroups } from './own-groups';
import { TreeFacts, treeArb } from './testing/trees';
import { decideVisibility, type UnitRespondents } from './visibility';

/**
 * The attacker reads a round, reorganises, waits for the round to be re-derived and reads it
 * again, as often as they like. Nothing they have seen for the round may differ from anything
 * else they have seen for it by 1..k−1 people.
 */
const settingsFor = (k: number) => ({ minGroupSize: k, minCommentGroup: Math.max(10, k) });
const closed = { roundClosed: true };

/** Moves unit `pick` under `target`, unless that would put it beneath itself or move the root. */
function move(units: UnitRespondents[], pick: number, target: number): UnitRespondents[] {
  const moving = units[pick % units.length];
  const parent = units[target % units.length];
  if (moving.parentId === null) return units;
  const inside = new Set([moving.id, ...new TreeFacts(units).descendants(moving.id)]);
  if (inside.has(parent.id)) return units;
  return units.map((u) => (u.id === moving.id ? { ...u, parentId: parent.id } : u));
}

/** One derivation as aggregation runs it: own groups, the history guard, the decision. */
function derive(units: UnitRespondents[], k: number, earlier: Composition[]): Composition[] {
  const groups = withOwnGroups(units);
  const current = compositions(groups);
  const decision = decideVisibility(
    groups,
    closed,
    settingsFor(k),
    new Map(),
    historyGuard(current, earlier, k),
  );
  return [...decision].filter(([, v]) => v.shown).map(([id]) => current.get(id)!);
}

describe('historyGuard against an attacker who reorganises between reads', () => {
  it('no two aggregates shown for the same round, at any time, differ by 1..k−1 people', () => {
    fc.assert(
      fc.property(
        treeArb(16),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
        ({ units, k }, moves) => {
          let tree = units;
          const seen: Composition[] = derive(tree, k, []);
          for (const [pick, target] of moves) {
            tree = move(tree, pick, target);
            seen.push(...derive(tree, k, seen));
          }
          const unsafe: [number, number, number][] = [];
          for (let i = 0; i < seen.length; i++)
            for (let j = i + 1; j < seen.length; j++) {
              const people = differingPeople(seen[i], seen[j]);
              if (people > 0 && people < k) unsafe.push([i, j, people]);
            }
          expect(unsafe).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the guard is what holds it: without it, some sequence of moves shows a small difference', () => {
    // Ops = A 7 + B 7 + C 3 under a root with Sales = S 7; C moves to Sales.
    const units: UnitRespondents[] = [
      { id: 'org', parentId: null, respondents: 0 },
      { id: 'ops', parentId: 'org', respondents: 0 },
      { id: 'sales', parentId: 'org', respondents: 0 },
      { id: 'a', parentId: 'ops', respondents: 7 },
      { id: 'b', parentId: 'ops', respondents: 7 },
      { id: 'c', parentId: 'ops', respondents: 3 },
      { id: 's', parentId: 'sales', respondents: 7 },
    ];
    const moved = units.map((u) => (u.id === 'c' ? { ...u, parentId: 'sales' } : u));
    const before = compositions(withOwnGroups(units));
    const after = compositions(withOwnGroups(moved));
    expect(differingPeople(before.get('ops')!, after.get('ops')!)).toBe(3);
    const shownBefore = derive(units, 5, []);
    expect(shownBefore).toContainEqual(before.get('ops'));
    const guard = historyGuard(after, shownBefore, 5);
    expect(guard('ops')).toBe(false);
    expect(guard('sales')).toBe(false);
    expect(guard('a')).toBe(true);
    const decision = decideVisibility(
      withOwnGroups(moved),
      closed,
      settingsFor(5),
      new Map(),
      guard,
    );
    expect(decision.get('ops')).toMatchObject({ shown: false, reason: 'history', respondents: 14 });
  });

  it('counts a person who answered in two of the differing teams once', () => {
    const a = new Map([
      ['x', 3],
      ['y', 3],
    ]);
    const b = new Map<string, number>();
    expect(differingPeople(a, b)).toBe(6);
    const twice = new Map([
      ['p1', ['x', 'y']],
      ['p2', ['x', 'y']],
    ]);
    expect(differingPeople(a, b, twice)).toBe(4);
    expect(differingPeople(a, new Map(a), twice)).toBe(0);
  });
});
