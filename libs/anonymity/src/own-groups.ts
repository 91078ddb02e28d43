import type { UnitRespondents } from './visibility';

/** The id of the group of people who answered directly in a unit, not in units below it. */
export function ownGroupId(unitId: string): string {
  return `own:${unitId}`;
}

/**
 * A unit's aggregate (itself and everything below) and its own respondents alone are two
 * different aggregates; showing both would let anyone subtract the units below. Each unit's own
 * respondents therefore become a child group of their own, so the one suppression rule covers
 * both: ask `decideVisibility` about `ownGroupId(id)` before showing anything computed from a
 * unit's own respondents only (item distributions, flags, the quadrant).
 */
export function withOwnGroups(units: readonly UnitRespondents[]): UnitRespondents[] {
  return units.flatMap((u) =>
    u.respondents > 0
      ? [
          { id: u.id, parentId: u.parentId, respondents: 0 },
          { id: ownGroupId(u.id), parentId: u.id, respondents: u.respondents },
        ]
      : [u],
  );
}
