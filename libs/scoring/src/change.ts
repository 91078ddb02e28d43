import { tQuantile } from './student-t';
import { isHigherWorse, type DimensionDirection } from './favourable';

export interface Estimate {
  n: number;
  mean: number | null;
  se: number | null;
}

export interface Change {
  /** later − earlier, on the instrument's scale */
  delta: number;
  ciLow: number;
  ciHigh: number;
  /** Whether the interval of the change lies wholly on one side of zero, read in the dimension's good direction. */
  verdict: 'improved' | 'worsened' | 'no_clear_change';
}

/**
 * How a dimension moved between two rounds, with the 90 % interval of the difference (Welch), so
 * a commitment's follow-up does not mistake noise for success. Null without two usable estimates.
 */
export function changeBetween(
  earlier: Estimate,
  later: Estimate,
  /** The dimension, or its key alone: its direction says which way is better. */
  dimension: string | DimensionDirection,
  confidence = 0.9,
): Change | null {
  if (earlier.mean === null || later.mean === null || earlier.se === null || later.se === null)
    return null;
  if (earlier.n < 2 || later.n < 2) return null;
  const v1 = earlier.se ** 2;
  const v2 = later.se ** 2;
  const se = Math.sqrt(v1 + v2);
  const delta = later.mean - earlier.mean;
  let half = 0;
  if (se > 0) {
    const df = (v1 + v2) ** 2 / (v1 ** 2 / (earlier.n - 1) + v2 ** 2 / (later.n - 1));
    half = tQuantile((1 + confidence) / 2, Math.max(1, df)) * se;
  }
  const ciLow = delta - half;
  const ciHigh = delta + half;
  // The one rule of direction (favourable.ts), so a custom higher-is-worse dimension reads as the
  // flags and the colours read it.
  const sign = isHigherWorse(typeof dimension === 'string' ? { key: dimension } : dimension)
    ? -1
    : 1;
  const better = sign > 0 ? ciLow > 0 : ciHigh < 0;
  const worse = sign > 0 ? ciHigh < 0 : ciLow > 0;
  return {
    delta,
    ciLow,
    ciHigh,
    verdict: better ? 'improved' : worse ? 'worsened' : 'no_clear_change',
  };
}
