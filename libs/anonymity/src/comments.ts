import { aggregate, assertCount, buildHierarchy, compareCodeUnits } from './hierarchy';
import { assertAnonymitySettings, type AnonymitySettings } from './settings';
import { suppress } from './suppression';
import type { RoundState, UnitRespondents, VisibilityReason } from './visibility';

/*
 * Which count the comment minimum applies to: the number of people who commented — the crowd
 * an author hides in. A person may leave a general comment and one per theme, but they are
 * stored together as one sealed row, so callers count rows, and a row is an author. Respondents
 * who wrote nothing give an author no cover: a team of 12 with 2 commenting shows each author
 * among 2, not among 12.
 */

/**
 * Whether one group's comments may be shown, taken on its own: the round is closed, the group
 * has at least k respondents, and it holds at least `minCommentGroup` comments. For units of a
 * hierarchy use `decideCommentVisibility`, which also stops a department's comments minus its
 * teams' comments from exposing a small team's.
 */
export function commentsVisible(
  commentCount: number,
  respondents: number,
  settings: AnonymitySettings,
  roundClosed: boolean,
): boolean {
  assertAnonymitySettings(settings);
  assertComments(commentCount, respondents, 'the group');
  return (
    roundClosed && respondents >= settings.minGroupSize && commentCount >= settings.minCommentGroup
  );
}

export interface UnitComments extends UnitRespondents {
  /**
   * People who commented directly in this unit, not in units beneath it (however many comments
   * each left: one author is one).
   */
  comments: number;
}

export interface UnitCommentVisibility {
  shown: boolean;
  /** Comments in the unit and beneath it. */
  comments: number;
  reason: VisibilityReason;
}

/**
 * Which units' comment pools may be shown. Comment text subtracts exactly (a department's
 * comments minus its shown teams' comments are the other teams' comments), so this applies the
 * same complementary suppression as `decideVisibility`, counted in people who commented against
 * `minCommentGroup`. It is decided apart from the scores: comments are shown without any score,
 * and a pool of ≥ minCommentGroup people who commented comes from ≥ k people. Where each
 * unit's comments are then read: `placeComments`.
 *
 * A person in two teams answers, and may comment, once per team: two unlinkable rows that a
 * common ancestor's pool would count as two authors. Nobody may know whose rows they are, so
 * the correction is a bound taken from who answered where (`duplicateAnswers`): a pool under a
 * unit spanning several teams holds at least its rows minus that unit's duplicates in distinct
 * people (a person's extra rows in the pool are at most their extra answers beneath the unit),
 * and that lower bound is what is compared with the minimum — for a unit's whole pool and for
 * the remainder complementary suppression keeps (a placed pool), as `suppress` does for scores.
 */
export function decideCommentVisibility(
  units: readonly UnitComments[],
  round: RoundState,
  settings: AnonymitySettings,
  duplicates: ReadonlyMap<string, number> = new Map(),
): Map<string, UnitCommentVisibility> {
  assertAnonymitySettings(settings);
  for (const [id, count] of duplicates) assertCount(count, `duplicates of unit ${id}`);
  const direct = new Map<string, { respondents: number; comments: number }>();
  for (const unit of units) {
    assertComments(unit.comments, unit.respondents, `unit ${unit.id}`);
    direct.set(unit.id, { respondents: unit.respondents, comments: unit.comments });
  }
  const hierarchy = buildHierarchy(units);
  const respondents = aggregate(hierarchy, (id) => direct.get(id)?.respondents ?? 0);
  const comments = aggregate(hierarchy, (id) => direct.get(id)?.comments ?? 0);
  const ids = [...hierarchy.postOrder].sort(compareCodeUnits);
  const count = (id: string): number => comments.get(id) ?? 0;

  if (!round.roundClosed) {
    return new Map(
      ids.map((id) => [id, { shown: false, comments: count(id), reason: 'round_open' }]),
    );
  }
  const state = suppress(
    hierarchy,
    comments,
    settings.minCommentGroup,
    (id) => commentsVisible(count(id), respondents.get(id) ?? 0, settings, true),
    duplicates,
  );
  return new Map(
    ids.map((id) => {
      const reason = state.get(id) ?? 'below_minimum';
      return [id, { shown: reason === 'shown', comments: count(id), reason }];
    }),
  );
}

/**
 * The order comments are shown in: by text, compared by code unit. Storage and arrival order
 * would hint at who wrote what (first to answer, same team); an order that depends only on the
 * text itself says nothing the text does not, and unlike a random shuffle it does not change
 * between two looks, so a reload cannot be used to tell pools apart. Takes and returns bare text
 * so no id, date or unit can ride along with a comment.
 */
export function orderComments(bodies: readonly string[]): string[] {
  return [...bodies].sort(compareCodeUnits);
}

function assertComments(comments: number, respondents: number, what: string): void {
  assertCount(comments, `comments of ${what}`);
  assertCount(respondents, `respondents of ${what}`);
  // The minimum counts authors through comments; more comments than people breaks that.
  if (comments > respondents) {
    throw new RangeError(
      `${what} has more comments (${comments}) than respondents (${respondents})`,
    );
  }
}
