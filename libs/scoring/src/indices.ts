import {
  scaleFor,
  spreadToFivePoint,
  toFivePoint,
  type DimensionScales,
  type ResponseScale,
} from './scale';

/** A dimension's score for one team and round, on the instrument's own scale. */
export interface DimensionEstimate {
  n: number;
  mean: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** An indicator on the 1..5 scale with the interval it inherits from its dimension(s). */
export interface IndexValue {
  value: number;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Respondents behind it (the smaller count when two dimensions are combined). */
  n: number;
}

/** The indicators of domain.md §3 under the names the results table uses. */
export interface TeamIndices {
  /** A = decision_rights */
  autonomy: IndexValue | null;
  /** L = mean(purpose_clarity, alignment) */
  alignment: IndexValue | null;
  /** S = leader_support */
  support: IndexValue | null;
  /** C = over_control (higher is worse) */
  control: IndexValue | null;
  /** P = psych_safety */
  safety: IndexValue | null;
}

export type IndexName = keyof TeamIndices;

/** Which built-in dimensions make each indicator; a custom instrument lacking one has no such index. */
export const INDEX_DIMENSIONS: Readonly<Record<IndexName, readonly string[]>> = {
  autonomy: ['decision_rights'],
  alignment: ['purpose_clarity', 'alignment'],
  support: ['leader_support'],
  control: ['over_control'],
  safety: ['psych_safety'],
};

/**
 * A record's own entry: dimension keys are organisation-defined, and a dimension called
 * `constructor` must not find Object.prototype's.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** One dimension's estimate moved onto 1..5; null when the team has no score for it. */
export function dimensionOnFivePoint(
  estimate: DimensionEstimate | undefined,
  scale: ResponseScale,
): IndexValue | null {
  if (estimate === undefined || estimate.mean === null) return null;
  const { min, max } = scale;
  const convert = (v: number | null) => (v === null ? null : toFivePoint(v, min, max));
  return {
    value: toFivePoint(estimate.mean, min, max),
    se: estimate.se === null ? null : spreadToFivePoint(estimate.se, min, max),
    ciLow: convert(estimate.ciLow),
    ciHigh: convert(estimate.ciHigh),
    n: estimate.n,
  };
}

/**
 * The average of several dimensions, with an interval whose ends are the averages of their ends.
 * That interval is conservative: if each true mean lies in its own interval, their average lies
 * in the averaged one whatever the correlation between them, and its half-width is never smaller
 * than the exact one (which is narrower unless the two errors move in lockstep). A flag confirmed
 * on it is confirmed for certain; one more round of noise is the price. All parts are required:
 * an index of half its dimensions would be a different index.
 */
function averaged(parts: readonly (IndexValue | null)[]): IndexValue | null {
  const known = parts.filter((p): p is IndexValue => p !== null);
  if (known.length === 0 || known.length !== parts.length) return null;
  const mean = (pick: (p: IndexValue) => number | null): number | null => {
    let total = 0;
    for (const p of known) {
      const v = pick(p);
      if (v === null) return null;
      total += v;
    }
    return total / known.length;
  };
  return {
    value: known.reduce((total, p) => total + p.value, 0) / known.length,
    se: mean((p) => p.se),
    ciLow: mean((p) => p.ciLow),
    ciHigh: mean((p) => p.ciHigh),
    n: Math.min(...known.map((p) => p.n)),
  };
}

/** A, L, S, C and P of one team and round; an index is null when any of its dimensions is. */
export function teamIndices(
  dimensions: Readonly<Record<string, DimensionEstimate | undefined>>,
  scale: DimensionScales,
): TeamIndices {
  const index = (name: IndexName) =>
    averaged(
      INDEX_DIMENSIONS[name].map((key) =>
        dimensionOnFivePoint(ownEntry(dimensions, key), scaleFor(scale, key)),
      ),
    );
  return {
    autonomy: index('autonomy'),
    alignment: index('alignment'),
    support: index('support'),
    control: index('control'),
    safety: index('safety'),
  };
}
