/**
 * Within-team agreement (James, Demaree & Wolf, 1984; domain.md §2): how far the team's answers
 * are from what people answering at random would give. Written to reproduce R's
 * multilevel::rwg and multilevel::rwg.j, with `ranvar` = σ²EU of a uniform null.
 */

function assertOptions(options: number): void {
  if (!Number.isInteger(options) || options < 2) {
    throw new RangeError(`a scale needs at least two answer options, got ${options}`);
  }
}

// var_samp from SQL cannot be meaningfully negative; a hair below zero is rounding.
function checkedVariance(variance: number): number {
  if (!Number.isFinite(variance) || variance < -1e-12) {
    throw new RangeError(`a variance must be finite and non-negative, got ${variance}`);
  }
  return Math.max(0, variance);
}

/** σ²EU = (A² − 1) / 12: the variance of answers spread evenly over A options (2 for A = 5). */
export function expectedUniformVariance(options: number): number {
  assertOptions(options);
  return (options * options - 1) / 12;
}

/**
 * Single-item rwg = 1 − s²/σ²EU, floored at 0 as multilevel::rwg does: more spread than random
 * answering is read as no agreement, not as a negative amount of it. Null when the variance is
 * unknown (fewer than two answers).
 */
export function rwg(variance: number | null, options: number): number | null {
  const uniform = expectedUniformVariance(options);
  if (variance === null) return null;
  return Math.max(0, 1 - checkedVariance(variance) / uniform);
}

/**
 * rwg(j) over J items from their within-team sample variances: s̄² is their mean, capped at σ²EU
 * (multilevel::rwg.j does the same; without the cap the formula leaves [0, 1]). Items whose
 * variance is unknown are left out and J counts the rest; null when none is known.
 */
export function rwgJ(itemVariances: readonly (number | null)[], options: number): number | null {
  const uniform = expectedUniformVariance(options);
  const known = itemVariances.filter((v): v is number => v !== null).map(checkedVariance);
  if (known.length === 0) return null;
  const j = known.length;
  const meanVariance = Math.min(known.reduce((a, b) => a + b, 0) / j, uniform);
  const ratio = meanVariance / uniform;
  const agreement = j * (1 - ratio);
  return agreement / (agreement + ratio);
}
