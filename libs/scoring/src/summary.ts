import { tQuantile } from './student-t';

/**
 * What SQL hands over for a set of scores: count, sum and sum of squares. Enough for the mean, the
 * variance and everything derived from them, without a single answer row leaving PostgreSQL.
 */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

/** A team's dimension score for a round (domain.md §2). */
export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface SummaryOptions {
  /** Two-sided confidence level of the interval; the model's 90 % by default. */
  confidence?: number;
}

export const DEFAULT_CONFIDENCE = 0.9;

// The deviation sum of squares is sumSquares − sum²/n, a difference of two nearly equal numbers
// when everyone answered alike. Anything below this share of sumSquares is rounding, not spread:
// answers on an integer scale averaged over a handful of items cannot differ by less than ~1e-2.
const ROUNDING_SHARE = 1e-12;

function assertMoments({ n, sum, sumSquares }: Moments): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a count, got ${n}`);
  if (!Number.isFinite(sum)) throw new RangeError(`sum must be finite, got ${sum}`);
  if (!Number.isFinite(sumSquares) || sumSquares < 0) {
    throw new RangeError(`sumSquares must be finite and non-negative, got ${sumSquares}`);
  }
}

/** Sum of squared deviations from the mean; 0 for n = 0. */
export function deviationSumOfSquares(moments: Moments): number {
  assertMoments(moments);
  const { n, sum, sumSquares } = moments;
  if (n === 0) return 0;
  const ss = sumSquares - (sum * sum) / n;
  return ss <= sumSquares * ROUNDING_SHARE ? 0 : ss;
}

/** Sample variance (n − 1), as R's var() and PostgreSQL's var_samp(); null below two values. */
export function sampleVariance(moments: Moments): number | null {
  if (moments.n < 2) {
    assertMoments(moments);
    return null;
  }
  return deviationSumOfSquares(moments) / (moments.n - 1);
}

/**
 * Sample variance of integers from their exact integer moments: n·Σx² − (Σx)² is worked out
 * exactly (as a BigInt once it outgrows a double's integers) and divided once: the exact variance,
 * correctly rounded while the numerator is below 2^53 (tens of millions of answers on a scale). This is what PostgreSQL's var_samp over integers gives
 * (it works in numeric), without PostgreSQL paying numeric arithmetic for every answer.
 */
export function integerSampleVariance(moments: Moments): number | null {
  assertMoments(moments);
  const { n, sum, sumSquares } = moments;
  if (!Number.isInteger(sum) || !Number.isInteger(sumSquares))
    throw new RangeError(`integer moments expected, got sum ${sum}, sumSquares ${sumSquares}`);
  // The covariance of the values with themselves.
  return integerSampleCovariance({ n, sumX: sum, sumY: sum, sumProducts: sumSquares });
}

/** Integer co-moments of paired values: how many pairs, each side's sum, and the sum of products. */
export interface CoMoments {
  n: number;
  sumX: number;
  sumY: number;
  sumProducts: number;
}

/**
 * Sample covariance of paired integers from their exact integer sums, as integerSampleVariance
 * is the variance (which it equals when both sides are the same values): n·Σxy − Σx·Σy exactly,
 * divided once. PostgreSQL's covar_samp adds floating-point deviations in whatever order the rows
 * come, so its last digits followed the row order; this does not.
 */
export function integerSampleCovariance({ n, sumX, sumY, sumProducts }: CoMoments): number | null {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a count, got ${n}`);
  if (![sumX, sumY, sumProducts].every(Number.isSafeInteger))
    throw new RangeError(`integer co-moments expected, got ${sumX}, ${sumY}, ${sumProducts}`);
  if (n < 2) return null;
  const spread = n * sumProducts;
  const cross = sumX * sumY;
  const numerator =
    Number.isSafeInteger(spread) && Number.isSafeInteger(cross)
      ? spread - cross
      : Number(BigInt(n) * BigInt(sumProducts) - BigInt(sumX) * BigInt(sumY));
  return numerator / (n * (n - 1));
}

/**
 * Mean, sample sd, standard error and a Student-t interval with n − 1 degrees of freedom. One
 * person gives a mean but no spread, so everything after the mean is null rather than zero: a
 * zero would claim certainty nobody has.
 */
export function summarize(moments: Moments, options: SummaryOptions = {}): Summary {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  }
  const variance = sampleVariance(moments);
  const { n } = moments;
  if (n === 0) return { n, mean: null, sd: null, se: null, ciLow: null, ciHigh: null };
  const mean = moments.sum / n;
  if (variance === null) return { n, mean, sd: null, se: null, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(variance);
  const se = sd / Math.sqrt(n);
  const halfWidth = tQuantile((1 + confidence) / 2, n - 1) * se;
  return { n, mean, sd, se, ciLow: mean - halfWidth, ciHigh: mean + halfWidth };
}
