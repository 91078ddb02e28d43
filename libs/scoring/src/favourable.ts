import type { ResponseScale } from './scale';

/**
 * A dimension as far as its direction goes: `higherIsWorse` as the instrument declares it.
 * Instruments stored before the flag existed do not carry it, so the built-in over-control
 * dimension is read as higher-is-worse by its key (the flags have always read it so).
 */
export interface DimensionDirection {
  key: string;
  higherIsWorse?: boolean;
}

/** Keys that are higher-is-worse when the instrument says nothing: the model's over-control. */
export const HIGHER_IS_WORSE_BY_KEY: ReadonlySet<string> = new Set(['over_control']);

/** Whether a higher score on this dimension is the unhealthy side (domain.md §2). */
export function isHigherWorse(dimension: DimensionDirection): boolean {
  return dimension.higherIsWorse ?? HIGHER_IS_WORSE_BY_KEY.has(dimension.key);
}

/** An inclusive range of scores (a person's dimension score or an answer after reverse keying). */
export interface ScoreRange {
  from: number;
  to: number;
}

export interface FavourableBounds {
  favourable: ScoreRange;
  unfavourable: ScoreRange;
}

/**
 * How far inside the midpoint a side of a short scale begins. Person scores are means of a few
 * whole answers, so none lies strictly between the midpoint and the midpoint plus this.
 */
const PAST_MIDPOINT = 1e-9;

/**
 * Where favourable and unfavourable lie (domain.md §2): the healthy end of the scale is
 * favourable — ≥ hi − 1 where higher is better, ≤ lo + 1 where higher is worse — and the other
 * end unfavourable. SQL counts the people on each side and the pages colour answers with the
 * same ranges; this is the one place that says where the sides are, so they cannot disagree.
 *
 * On a scale of three options or fewer (1..3, 0..2) hi − 1 and lo + 1 meet or cross, so the
 * model's rule would count the middle answer as both favourable and unfavourable and the two
 * shares could add up to more than everyone. There the sides are strictly above and strictly
 * below the midpoint instead, and the middle is neutral, as it is on 1..5.
 */
export function favourableBounds(scale: ResponseScale, higherIsWorse = false): FavourableBounds {
  if (!(scale.max > scale.min)) throw new RangeError(`invalid scale ${scale.min}..${scale.max}`);
  const short = scale.max - scale.min <= 2;
  const mid = (scale.min + scale.max) / 2;
  const top: ScoreRange = short
    ? { from: mid + PAST_MIDPOINT, to: scale.max }
    : { from: scale.max - 1, to: scale.max };
  const bottom: ScoreRange = short
    ? { from: scale.min, to: mid - PAST_MIDPOINT }
    : { from: scale.min, to: scale.min + 1 };
  return higherIsWorse
    ? { favourable: bottom, unfavourable: top }
    : { favourable: top, unfavourable: bottom };
}

export type Tone = 'favourable' | 'neutral' | 'unfavourable';

const within = (x: number, r: ScoreRange) => x >= r.from && x <= r.to;

/**
 * How an answer value reads once the statement's wording and the dimension's direction are
 * taken into account: "strongly disagree" with a reversed statement ("I am afraid to admit
 * mistakes") is the healthy answer, and so is "strongly disagree" with an over-control statement.
 */
export function answerTone(
  value: number,
  scale: ResponseScale,
  item: { reverse: boolean },
  dimension: DimensionDirection,
): Tone {
  const scored = item.reverse ? scale.min + scale.max - value : value;
  const bounds = favourableBounds(scale, isHigherWorse(dimension));
  if (within(scored, bounds.favourable)) return 'favourable';
  if (within(scored, bounds.unfavourable)) return 'unfavourable';
  return 'neutral';
}

/** The tone of every answer value from scale.min to scale.max, in that order. */
export function answerTones(
  scale: ResponseScale,
  item: { reverse: boolean },
  dimension: DimensionDirection,
): Tone[] {
  return Array.from({ length: scale.max - scale.min + 1 }, (_, i) =>
    answerTone(scale.min + i, scale, item, dimension),
  );
}

/**
 * count / n as a fraction in 0..1 (the caller formats it as a percentage), or null when nobody
 * answered: "0 % favourable" of nobody would be a claim about nobody.
 */
export function share(count: number, n: number): number | null {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a count, got ${n}`);
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new RangeError(`count must be a whole number between 0 and n (${n}), got ${count}`);
  }
  return n === 0 ? null : count / n;
}
