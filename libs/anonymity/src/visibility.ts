import { aggregate, assertCount, buildHierarchy, compareCodeUnits } from './hierarchy';
import { assertAnonymitySettings, type AnonymitySettings } from './settings';
import { suppress } from './suppression';

export interface UnitRespondents {
  id: string;
  parentId: string | null;
  /** People who answered directly in this unit, not in units beneath it. */
  respondents: number;
}

export interface RoundState {
  roundClosed: boolean;
}

/**
 * `recomputing`: the round's results were computed on an older tree or settings than today's.
 * `history`: showing it would differ by 1..k−1 people from an aggregate shown for the same round
 * before a reorganisation (see `historyGuard`).
 */
export type VisibilityReason =
  'shown' | 'round_open' | 'below_minimum' | 'complementary' | 'recomputing' | 'history';

export interface UnitVisibility {
  /** Whether the unit's scores, distributions, agreement indices and flags may leave the server. */
  shown: boolean;
  /** Everyone who answered in the unit or beneath it; a count may always be shown. */
  respondents: number;
  reason: VisibilityReason;
}

/**
 * What may be shown of each unit's aggregate (the unit and everything beneath it) for one round.
 * Pass the whole organisation: the decision for a unit depends on its siblings and ancestors.
 * Entries come in id order whatever the input order.
 *
 * - An open round shows nothing: two looks a minute apart would reveal one person's answer.
 * - A unit with fewer than k respondents is hidden (`below_minimum`).
 * - No subtraction: some shown units are hidden as well (`complementary`) so that every
 *   difference between shown aggregates holds 0 or ≥ k respondents (see `suppress`).
 * - A person who answered in two teams counts once in their common ancestors: `duplicates`
 *   (see `duplicateAnswers`) gives, per unit, the answers in its subtree beyond its distinct
 *   people, and `respondents` reports the distinct people.
 * - No subtraction over time: `canShow` (see `historyGuard`) withholds units whose aggregate
 *   would differ too little from one shown earlier (`history`); suppression then runs over that.
 */
export function decideVisibility(
  units: readonly UnitRespondents[],
  round: RoundState,
  settings: AnonymitySettings,
  duplicates: ReadonlyMap<string, number> = new Map(),
  canShow: (id: string) => boolean = () => true,
): Map<string, UnitVisibility> {
  assertAnonymitySettings(settings);
  const direct = new Map<string, number>();
  for (const unit of units) {
    assertCount(unit.respondents, `respondents of unit ${unit.id}`);
    direct.set(unit.id, unit.respondents);
  }
  const hierarchy = buildHierarchy(units);
  const totals = aggregate(hierarchy, (id) => direct.get(id) ?? 0);
  const ids = [...hierarchy.postOrder].sort(compareCodeUnits);
  for (const [id, count] of duplicates) assertCount(count, `duplicates of unit ${id}`);
  const respondents = (id: string): number =>
    Math.max(0, (totals.get(id) ?? 0) - (duplicates.get(id) ?? 0));

  if (!round.roundClosed) {
    return new Map(
      ids.map((id) => [id, { shown: false, respondents: respondents(id), reason: 'round_open' }]),
    );
  }
  const k = settings.minGroupSize;
  const state = suppress(hierarchy, totals, k, canShow, duplicates);
  return new Map(
    ids.map((id) => {
      const decided = state.get(id) ?? 'below_minimum';
      // Enough people, withheld only because of what was shown before.
      const reason: VisibilityReason =
        decided === 'below_minimum' && respondents(id) >= k && !canShow(id) ? 'history' : decided;
      return [id, { shown: reason === 'shown', respondents: respondents(id), reason }];
    }),
  );
}
