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

/** The guard as first written: every unit compared with every earlier composition, in full. */
function pairwiseGuard(
  current: ReadonlyMap<string, Composition>,
  earlier: readonly Composition[],
  k: number,
  answered: readonly { personId: string; unitId: string }[],
): (id: string) => boolean {
  const teamsOfPerson = new Map<string, string[]>();
  for (const { personId, unitId } of answered)
    teamsOfPerson.set(personId, [...(teamsOfPerson.get(personId) ?? []), unitId]);
  for (const [person, teams] of teamsOfPerson) if (teams.length < 2) teamsOfPerson.delete(person);
  return (id) => {
    const mine = current.get(id) ?? new Map<string, number>();
    const differences = earlier.map((before) => {
      const differing = new Set<string>();
      let answers = 0;
      for (const team of new Set([...mine.keys(), ...before.keys()])) {
        const d = Math.abs((mine.get(team) ?? 0) - (before.get(team) ?? 0));
        if (d > 0) {
          differing.add(team);
          answers += d;
        }
      }
      if (answers === 0) return 0;
      let extra = 0;
      for (const teams of teamsOfPerson.values()) {
        const inDifference = teams.filter((t) => differing.has(t)).length;
        if (inDifference > 1) extra += inDifference - 1;
      }
      return Math.max(1, answers - extra);
    });
    return differences.includes(0) || differences.every((p) => p === 0 || p >= k);
  };
}

describe('historyGuard compares only the compositions that could be too close', () => {
  const team = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'own:g', 'x|h');
  const composition = fc
    .array(fc.tuple(team, fc.nat({ max: 7 })), { maxLength: 6 })
    .map((entries) => new Map(entries) as Composition);

  it('gives every unit the verdict of comparing it with every earlier composition', () => {
    fc.assert(
      fc.property(
        fc.array(composition, { minLength: 1, maxLength: 8 }),
        fc.array(composition, { maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4'), team), { maxLength: 8 }),
        (units, earlier, k, memberships) => {
          const current = new Map(units.map((c, i) => [`u${i}`, c]));
          const answered = memberships.map(([personId, unitId]) => ({ personId, unitId }));
          const fast = historyGuard(current, earlier, k, answered);
          const full = pairwiseGuard(current, earlier, k, answered);
          for (const id of [...current.keys(), 'missing'])
            expect({ id, safe: fast(id) }).toEqual({ id, safe: full(id) });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decides a large organisation derived again as comparing everything does', () => {
    // 3,000 teams of 6 under 60 departments, all shown before: every unit's own composition is
    // among the earlier ones, and a moved team is compared with its old and new neighbours only.
    const teams = Array.from({ length: 3_000 }, (_, i) => `t${i}`);
    const before = new Map<string, Composition>();
    for (const t of teams) before.set(t, new Map([[t, 6]]));
    for (let d = 0; d < 60; d++)
      before.set(`d${d}`, new Map(teams.slice(d * 50, d * 50 + 50).map((t) => [t, 6])));
    before.set('root', new Map(teams.map((t) => [t, 6])));
    const earlier = [...before.values()];
    const after = new Map(before);
    // Team t0 moves from department 0 to department 1.
    after.set('d0', new Map([...before.get('d0')!].filter(([t]) => t !== 't0')));
    after.set('d1', new Map([...before.get('d1')!, ['t0', 6]]));
    const guard = historyGuard(after, earlier, 5);
    const verdicts = [...after.keys()].map((id) => [id, guard(id)] as const);
    expect(verdicts.filter(([, safe]) => !safe)).toEqual([]);
    const full = pairwiseGuard(after, earlier, 5, []);
    for (const id of ['t0', 'd0', 'd1', 'root']) expect(guard(id)).toBe(full(id));
  });
});
