import { decideCommentVisibility, type UnitComments } from './comments';
import { compareCodeUnits } from './hierarchy';
import type { AnonymitySettings } from './settings';
import type { RoundState } from './visibility';

/**
 * Where a round's comments are read. A unit's comments are shown at the lowest unit, itself or
 * above it, whose comment pool may be shown (`decideCommentVisibility`: closed round, at least
 * `minCommentGroup` people who commented, complementary suppression over the tree); below that
 * they rise to the parent, where its leaders and HR read them. A unit with no such unit above
 * it keeps its comments unshown.
 *
 * What a unit's readers get is its *placed pool*: the comments placed at it, which is the
 * unit's whole pool minus the pools of its nearest shown units beneath. That is exactly the
 * remainder complementary suppression keeps at 0 or ≥ the comment minimum, and the placed
 * pools partition every shown comment, so any union or difference of what anyone is shown is
 * a union of whole placed pools: none isolates fewer than the minimum of authors.
 *
 * Counts are of people who commented (a person's comments are one sealed row), never of
 * comments: one author with three themed comments is one person of cover, not three. A person
 * in two teams may write a row in each; `duplicates` (from `duplicateAnswers` over who answered
 * where) makes every compared pool count them once at worst (see `decideCommentVisibility`).
 * `pools` still reports rows: the pool's people are between that minus the unit's duplicates
 * and it.
 */
export interface CommentPlacement {
  /** Unit where the comments written in it are shown; absent when they are not shown. */
  placedAt: Map<string, string>;
  /** Units whose placed pool is not empty, with the number of people in it, in id order. */
  pools: Map<string, number>;
}

export function placeComments(
  units: readonly UnitComments[],
  round: RoundState,
  settings: AnonymitySettings,
  duplicates: ReadonlyMap<string, number> = new Map(),
): CommentPlacement {
  const decision = decideCommentVisibility(units, round, settings, duplicates);
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  const placedAt = new Map<string, string>();
  const pools = new Map<string, number>();
  for (const unit of [...units].sort((a, b) => compareCodeUnits(a.id, b.id))) {
    if (unit.comments === 0) continue;
    let at: string | null = unit.id;
    while (at !== null && !decision.get(at)?.shown) at = parent.get(at) ?? null;
    if (at === null) continue;
    placedAt.set(unit.id, at);
    pools.set(at, (pools.get(at) ?? 0) + unit.comments);
  }
  return {
    placedAt,
    pools: new Map([...pools].sort(([a], [b]) => compareCodeUnits(a, b))),
  };
}
