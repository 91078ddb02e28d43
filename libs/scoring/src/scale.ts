/**
 * An instrument's integer response range (domain.md §2: answers run from `lo` to `hi`). Custom
 * instruments may use 0..4, 1..7 and so on; everything a person reads as a percentage or against
 * a flag threshold is converted from here, so no other file does scale arithmetic by hand.
 */
export interface ResponseScale {
  min: number;
  max: number;
}

function assertRange(lo: number, hi: number): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) {
    throw new RangeError(`a response scale needs lo < hi, got ${lo}..${hi}`);
  }
}

/** A = hi − lo + 1, the number of answer options, which sets the agreement null model. */
export function optionCount(scale: ResponseScale): number {
  assertRange(scale.min, scale.max);
  return scale.max - scale.min + 1;
}

/** A mean on lo..hi shown as 0–100 (domain.md §2). Null stays null: no score, nothing to show. */
export function toScore100(mean: number | null, lo: number, hi: number): number | null {
  assertRange(lo, hi);
  return mean === null ? null : ((mean - lo) / (hi - lo)) * 100;
}

/**
 * A value on lo..hi moved linearly onto 1..5, where the indicator and flag thresholds of §3 are
 * written. Linear, so intervals convert end by end and spreads scale by 4 / (hi − lo).
 */
export function toFivePoint(value: number, lo: number, hi: number): number {
  assertRange(lo, hi);
  return 1 + ((value - lo) / (hi - lo)) * 4;
}

/** A spread (sd, se) on lo..hi expressed on 1..5; spreads do not shift, they only stretch. */
export function spreadToFivePoint(spread: number, lo: number, hi: number): number {
  assertRange(lo, hi);
  return (spread * 4) / (hi - lo);
}

/**
 * The scale of each dimension: one for the whole instrument, or a dimension's own where it has
 * one (a 0..4 dimension beside 1..5 ones). Whoever converts a dimension's value asks here.
 */
export type DimensionScales = ResponseScale | ((dimension: string) => ResponseScale);

export function scaleFor(scales: DimensionScales, dimension: string): ResponseScale {
  return typeof scales === 'function' ? scales(dimension) : scales;
}
