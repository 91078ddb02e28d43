import { deviationSumOfSquares, type Moments } from './summary';

/**
 * One-way ANOVA of person scores by team, the input to ICC(1) and ICC(2) (domain.md §2). Built
 * from per-team moments so the organisation-wide statistics need one small row per team, not
 * every person's score.
 */
export interface OneWayAnova {
  /** Respondents with a score, over all teams. */
  N: number;
  /** Teams with at least one respondent. */
  groups: number;
  msBetween: number;
  msWithin: number;
  /** k̄ = N / groups, the mean team size, as multilevel::ICC1 computes it from aov's df. */
  meanGroupSize: number;
}

/**
 * Teams without respondents are dropped: R's aov never sees them, and counting them would shrink
 * k̄. Null when there is no between-team or no within-team variation to speak of: fewer than two
 * teams, or every team a single person.
 */
export function oneWayAnova(groups: readonly Moments[]): OneWayAnova | null {
  const present = groups.filter((g) => {
    deviationSumOfSquares(g); // validates
    return g.n > 0;
  });
  const N = present.reduce((a, g) => a + g.n, 0);
  const G = present.length;
  if (G < 2 || N <= G) return null;
  const grandMean = present.reduce((a, g) => a + g.sum, 0) / N;
  // Per-team deviations rather than Σx² − (Σx)²/N over everyone: the organisation-wide version
  // subtracts two large totals and loses digits the reference comparison (1e-6) needs.
  let ssBetween = 0;
  let ssWithin = 0;
  for (const g of present) {
    const offset = g.sum / g.n - grandMean;
    ssBetween += g.n * offset * offset;
    ssWithin += deviationSumOfSquares(g);
  }
  return {
    N,
    groups: G,
    msBetween: ssBetween / (G - 1),
    msWithin: ssWithin / (N - G),
    meanGroupSize: N / G,
  };
}

/**
 * ICC(1) = (MSB − MSW) / (MSB + (k̄ − 1)·MSW): the share of score variance that is team climate.
 * Negative values are returned as they are, as R does; they mean no team effect. Null when the
 * ratio is undefined (no variation at all).
 */
export function icc1(anova: OneWayAnova | null): number | null {
  if (anova === null) return null;
  const { msBetween, msWithin, meanGroupSize } = anova;
  const denominator = msBetween + (meanGroupSize - 1) * msWithin;
  return denominator === 0 ? null : (msBetween - msWithin) / denominator;
}

/** ICC(2) = (MSB − MSW) / MSB: how reliably a team mean tells teams apart. Null when MSB = 0. */
export function icc2(anova: OneWayAnova | null): number | null {
  if (anova === null) return null;
  const { msBetween, msWithin } = anova;
  return msBetween === 0 ? null : (msBetween - msWithin) / msBetween;
}
