import { aggregate, assertCount, buildHierarchy, compareCodeUnits } from './hierarchy';
import { assertAnonymitySettings, type AnonymitySettings } from './settings';
import { suppress } from './suppression';
import type { UnitVisibility, VisibilityReason } from './visibility';

export interface FigureCount {
  id: string;
  parentId: string | null;
  /** People behind this one figure (say, a dimension score) directly in this unit. */
  n: number;
}

export interface FigureVisibility {
  shown: boolean;
  /** The people behind the unit's figure, itself and everything beneath it, as answers. */
  n: number;
  reason: VisibilityReason;
}

/**
 * Which units may show one figure, such as a dimension's score. A unit's figure rests on the
 * people who answered that figure's statements, who may be fewer than the unit's respondents
 * (a skipped dimension, a blank history cell), so k is checked per figure: only where the unit
 * itself may be shown (`units`, from `decideVisibility` over the same tree), only with ≥ k
 * people behind it, and with complementary suppression over this figure's counts, so that no
 * difference between shown figures (a department's over-control minus its teams') holds 1..k−1
 * people. It only ever hides more than the unit's own decision. `canShow` is this figure's
 * own no-subtraction-over-time check (see `historyGuard`): a unit may show its aggregate while
 * one of its figures differs too little from that figure shown before a reorganisation.
 */
export function decideFigure(
  counts: readonly FigureCount[],
  units: ReadonlyMap<string, UnitVisibility>,
  settings: AnonymitySettings,
  duplicates: ReadonlyMap<string, number> = new Map(),
  canShow: (id: string) => boolean = () => true,
): Map<string, FigureVisibility> {
  assertAnonymitySettings(settings);
  const direct = new Map<string, number>();
  for (const unit of counts) {
    assertCount(unit.n, `figure count of unit ${unit.id}`);
    direct.set(unit.id, unit.n);
  }
  const hierarchy = buildHierarchy(counts);
  const totals = aggregate(hierarchy, (id) => direct.get(id) ?? 0);
  const state = suppress(
    hierarchy,
    totals,
    settings.minGroupSize,
    (id) => units.get(id)?.shown === true && canShow(id),
    duplicates,
  );
  return new Map(
    [...hierarchy.postOrder].sort(compareCodeUnits).map((id) => {
      const unit = units.get(id);
      const state_ = state.get(id) ?? 'below_minimum';
      const decided: VisibilityReason =
        state_ === 'below_minimum' && (totals.get(id) ?? 0) >= settings.minGroupSize && !canShow(id)
          ? 'history'
          : state_;
      const reason: VisibilityReason = unit && !unit.shown ? unit.reason : decided;
      return [id, { shown: reason === 'shown', n: totals.get(id) ?? 0, reason }];
    }),
  );
}
