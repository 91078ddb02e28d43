/**
 * Cronbach's alpha of a dimension's k items across all respondents (domain.md §2): whether the
 * items measure one thing. SQL may hand over the item variances one by one or already summed;
 * both are the same statistic. Where people skipped items, aggregation hands over the trace and
 * the sum of the pairwise-complete covariance matrix, as psych::alpha does by default
 * (`use = "pairwise"`): `itemVarianceSum` = tr C, `totalVariance` = ΣC.
 */
export type AlphaInput =
  | { k: number; itemVariances: readonly number[]; totalVariance: number | null }
  | { k: number; itemVarianceSum: number | null; totalVariance: number | null };

/**
 * α = k/(k − 1) · (1 − Σ s²ᵢ / s²ₜ), equal to psych::alpha(x)$total$raw_alpha on complete data.
 * `totalVariance` is the variance of each person's SUM of the k items (not of their mean): the
 * sum's variance is Σ s²ᵢ plus the covariances, which is what alpha weighs. Negative alphas are
 * returned as psych returns them. Null with fewer than two items or no variance in the totals.
 */
export function cronbachAlpha(input: AlphaInput): number | null {
  const { k, totalVariance } = input;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a count, got ${k}`);
  let itemVarianceSum: number | null;
  if ('itemVariances' in input) {
    if (input.itemVariances.length !== k) {
      throw new RangeError(`expected ${k} item variances, got ${input.itemVariances.length}`);
    }
    itemVarianceSum = input.itemVariances.reduce((a, b) => a + b, 0);
  } else {
    itemVarianceSum = input.itemVarianceSum;
  }
  if (k < 2 || itemVarianceSum === null || totalVariance === null || totalVariance <= 0) {
    return null;
  }
  return (k / (k - 1)) * (1 - itemVarianceSum / totalVariance);
}
