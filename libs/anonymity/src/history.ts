import { buildHierarchy } from './hierarchy';
import { ownGroupId } from './own-groups';
import type { AnsweredMember } from './people';
import type { UnitRespondents } from './visibility';

/**
 * What an aggregate is made of: per team whose people answered beneath it, how many answered.
 * Two aggregates of the same round differ by exactly the people of the teams where their
 * compositions differ, whatever the units are called or where they sit in the tree.
 */
export type Composition = ReadonlyMap<string, number>;

/**
 * The composition of every unit's aggregate in a decision's tree (as given to
 * `decideVisibility`, own groups included). Respondents are attributed to their team: a unit's
 * own group (`own:<id>`) to that unit, any other unit with respondents of its own to itself, so
 * a team keeps its name when it moves.
 */
export function compositions(units: readonly UnitRespondents[]): Map<string, Composition> {
  const hierarchy = buildHierarchy(units);
  const byId = new Map(units.map((u) => [u.id, u]));
  const result = new Map<string, Map<string, number>>();
  for (const id of hierarchy.postOrder) {
    const unit = byId.get(id);
    const own = new Map<string, number>();
    if (unit && unit.respondents > 0) {
      const team = unit.parentId !== null && id === ownGroupId(unit.parentId) ? unit.parentId : id;
      own.set(team, unit.respondents);
    }
    for (const child of hierarchy.children.get(id) ?? [])
      for (const [team, n] of result.get(child) ?? []) own.set(team, (own.get(team) ?? 0) + n);
    result.set(id, own);
  }
  return result;
}

/**
 * A lower bound on the distinct people whose answers two aggregates do not share. Answers
 * differ by Σ |a(team) − b(team)|; a person who answered in several of the differing teams is
 * counted once, so each such person's extra answers are taken off (even where their answer might
 * not be among a partly differing team's: a bound on the safe side).
 */
export function differingPeople(
  a: Composition,
  b: Composition,
  teamsOfPerson: ReadonlyMap<string, readonly string[]> = new Map(),
): number {
  const differing = new Set<string>();
  let answers = 0;
  for (const team of new Set([...a.keys(), ...b.keys()])) {
    const d = Math.abs((a.get(team) ?? 0) - (b.get(team) ?? 0));
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
  // Answers that differ come from someone: never report a non-empty difference as empty.
  return Math.max(1, answers - extra);
}

/**
 * No subtraction over time (domain.md section 4): a round derived again after a
 * reorganisation must not show an aggregate that differs from one shown for the same round
 * before by 1..k−1 people — Ops with team C yesterday and without it today gives team C. The
 * predicate says, per unit of the new decision, whether its composition keeps a difference of 0
 * or ≥ k people with every composition shown earlier for the round (any unit: Sales before the
 * move and Sales with team C is the same attack). It is `decideVisibility`'s `canShow`, so
 * complementary suppression still runs over what it hides.
 *
 * Cost: units × earlier compositions, each compared team by team; a round's earlier
 * compositions are few (one per shown unit per reorganisation that changed it).
 */
export function historyGuard(
  current: ReadonlyMap<string, Composition>,
  earlier: readonly Composition[],
  k: number,
  answered: readonly AnsweredMember[] = [],
): (id: string) => boolean {
  const teamsOfPerson = new Map<string, string[]>();
  for (const { personId, unitId } of answered) {
    const list = teamsOfPerson.get(personId);
    if (list) list.push(unitId);
    else teamsOfPerson.set(personId, [unitId]);
  }
  // Only people counted twice can lower a difference below its answers.
  for (const [person, teams] of teamsOfPerson) if (teams.length < 2) teamsOfPerson.delete(person);
  const verdicts = new Map<string, boolean>();
  return (id) => {
    const known = verdicts.get(id);
    if (known !== undefined) return known;
    const mine = current.get(id) ?? new Map<string, number>();
    const differences = earlier.map((before) => differingPeople(mine, before, teamsOfPerson));
    // The very aggregate was shown before: showing it again reveals nothing new, even where it
    // differs little from another earlier one under a k raised since (both were read then).
    const safe =
      differences.includes(0) || differences.every((people) => people === 0 || people >= k);
    verdicts.set(id, safe);
    return safe;
  };
}
