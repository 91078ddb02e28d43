import { MIN_GROUP_SIZE_FLOOR } from './settings';

declare const SHOWN: unique symbol;

/**
 * A value the anonymity decision lets leave the server. Only this module makes one (`reveal`,
 * `revealGroup`); renderers and notifiers take only this type, so a number that did not pass
 * the decision does not compile into a page, a report or a message. The brand exists only for
 * the type checker: nothing is added to the value, so it serialises as it is. A type assertion
 * to `Shown` outside this module is refused by ESLint (eslint.config.mjs).
 */
export type Shown<T> = T & { readonly [SHOWN]: true };

/** What `reveal` needs of a decision: whether the group may be shown, and how many it holds. */
export interface GroupDecision {
  shown: boolean;
  respondents: number;
}

function assertK(k: number): void {
  if (!Number.isSafeInteger(k) || k < MIN_GROUP_SIZE_FLOOR)
    throw new RangeError(`k must be a whole number ≥ ${MIN_GROUP_SIZE_FLOOR}, got ${k}`);
}

/**
 * A figure of a group, shown only when the group's decision shows it and the people behind the
 * figure itself (`n`) are at least k; null otherwise. The decision is the one the figure was
 * computed under (stored with the results), so a second check here costs nothing and catches a
 * reader that pairs a figure with the wrong group.
 */
export function reveal<T extends { n: number }>(
  decision: GroupDecision | undefined,
  figure: T,
  k: number,
): Shown<T> | null {
  assertK(k);
  if (!decision?.shown || decision.respondents < k) return null;
  if (!Number.isFinite(figure.n) || figure.n < k) return null;
  return figure as Shown<T>;
}

/**
 * A value derived from a whole group (its quadrant, its flags and their text) rather than one
 * counted figure: shown only when the group's decision shows it.
 */
export function revealGroup<T>(
  decision: GroupDecision | undefined,
  value: T,
  k: number,
): Shown<T> | null {
  assertK(k);
  if (!decision?.shown || decision.respondents < k) return null;
  return value as Shown<T>;
}
