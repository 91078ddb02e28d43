import type { ResponseScale } from './scale';

/**
 * Where favourable and unfavourable begin (domain.md §2): a person's dimension score ≥ hi − 1 is
 * favourable, ≤ lo + 1 unfavourable. SQL counts the people on each side; this is the one place
 * that says where the sides are, so the query and the page cannot disagree.
 */
export function favourableBounds(scale: ResponseScale): {
  favourableAtLeast: number;
  unfavourableAtMost: number;
} {
  if (!(scale.max > scale.min)) throw new RangeError(`invalid scale ${scale.min}..${scale.max}`);
  return { favourableAtLeast: scale.max - 1, unfavourableAtMost: scale.min + 1 };
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
