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

/** People counted in more than one team: only they can lower a difference below its answers. */
function multiTeamPeople(answered: readonly AnsweredMember[]): Map<string, string[]> {
  const teamsOfPerson = new Map<string, string[]>();
  for (const { personId, unitId } of answered) {
    const list = teamsOfPerson.get(personId);
    if (list) list.push(unitId);
    else teamsOfPerson.set(personId, [unitId]);
  }
  for (const [person, teams] of teamsOfPerson) if (teams.length < 2) teamsOfPerson.delete(person);
  return teamsOfPerson;
}

/**
 * `differingPeople`, except that once the differing answers reach `limit` it stops and returns
 * `limit`: callers pass a limit at which the people must number at least k, whatever the rest.
 */
function differingPeopleBelow(
  a: Composition,
  b: Composition,
  teamsOfPerson: ReadonlyMap<string, readonly string[]>,
  limit: number,
): number {
  const differing = teamsOfPerson.size ? new Set<string>() : null;
  let answers = 0;
  for (const [team, n] of a) {
    const d = Math.abs(n - (b.get(team) ?? 0));
    if (d === 0) continue;
    differing?.add(team);
    answers += d;
    if (answers >= limit) return limit;
  }
  for (const [team, n] of b) {
    if (n === 0 || a.has(team)) continue;
    differing?.add(team);
    answers += Math.abs(n);
    if (answers >= limit) return limit;
  }
  if (answers === 0) return 0;
  let extra = 0;
  for (const teams of teamsOfPerson.values()) {
    const inDifference = teams.filter((t) => differing!.has(t)).length;
    if (inDifference > 1) extra += inDifference - 1;
  }
  // Answers that differ come from someone: never report a non-empty difference as empty.
  return Math.max(1, answers - extra);
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
  return differingPeopleBelow(a, b, teamsOfPerson, Infinity);
}

/** A composition as text, teams in order and empty ones left out: equal text, equal aggregate. */
function compositionKey(c: Composition): string {
  return [...c]
    .filter(([, n]) => n !== 0)
    .map(([team, n]) => `${team}\u0000${n}`)
    .sort()
    .join('\u0001');
}

function answersIn(c: Composition): number {
  let total = 0;
  for (const n of c.values()) total += Math.abs(n);
  return total;
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
 * Cost: a round derived once has shown a composition for nearly every unit, so a large
 * organisation's next derivation meets thousands of earlier compositions with thousands of
 * units (for the unit and for each dimension): compared pairwise, that was minutes of CPU. Here
 * each unit is compared only with the earlier compositions that could be too close: those that
 * share a team with it, and those too small to differ by k even with nothing in common. Any
 * other pair differs by at least `limit` answers, so by at least k people. A comparison stops
 * as soon as the answers it has counted reach that limit. The verdicts are the pairwise ones.
 */
export function historyGuard(
  current: ReadonlyMap<string, Composition>,
  earlier: readonly Composition[],
  k: number,
  answered: readonly AnsweredMember[] = [],
): (id: string) => boolean {
  const teamsOfPerson = multiTeamPeople(answered);
  // The most that people counted in several teams can take off a difference's answers: at
  // `limit` answers or more, two aggregates differ by at least k people.
  let slack = 0;
  for (const teams of teamsOfPerson.values()) slack += teams.length - 1;
  const limit = k + slack;
  const shownBefore = new Set(earlier.map(compositionKey));
  const withTeam = new Map<string, number[]>();
  earlier.forEach((before, i) => {
    for (const [team, n] of before) {
      if (n === 0) continue;
      const list = withTeam.get(team);
      if (list) list.push(i);
      else withTeam.set(team, [i]);
    }
  });
  const sizes = earlier.map(answersIn);
  const bySize = earlier.map((_, i) => i).sort((x, y) => sizes[x] - sizes[y]);
  const verdicts = new Map<string, boolean>();
  return (id) => {
    const known = verdicts.get(id);
    if (known !== undefined) return known;
    const mine = current.get(id) ?? new Map<string, number>();
    // The very aggregate was shown before: showing it again reveals nothing new, even where it
    // differs little from another earlier one under a k raised since (both were read then).
    let safe = shownBefore.has(compositionKey(mine));
    if (!safe) {
      const candidates = new Set<number>();
      for (const [team, n] of mine)
        if (n !== 0) for (const i of withTeam.get(team) ?? []) candidates.add(i);
      // Nothing in common: the answers differ by both sizes added up.
      const total = answersIn(mine);
      for (const i of bySize) {
        if (total + sizes[i] >= limit) break;
        candidates.add(i);
      }
      safe = true;
      for (const i of candidates) {
        // None is the same aggregate (that was settled above), so every difference is > 0.
        if (differingPeopleBelow(mine, earlier[i], teamsOfPerson, limit) < k) {
          safe = false;
          break;
        }
      }
    }
    verdicts.set(id, safe);
    return safe;
  };
}
