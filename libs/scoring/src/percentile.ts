/**
 * A team's percentile among the organisation's teams on one dimension, 0..100.
 *
 * Convention ("mid-rank"): the share of teams strictly below plus half the share tied with the
 * value. `all` is the whole comparison set and normally contains the team itself, so the top of
 * 10 teams gets 95, not 100, and a team equal to everyone gets 50 — no team is called best or
 * worst on the strength of a tie, and the ranks of all teams average to 50.
 * Null when there is nothing to compare with.
 */
export function percentileRank(value: number, all: readonly number[]): number | null {
  if (!Number.isFinite(value)) throw new RangeError(`value must be finite, got ${value}`);
  if (all.length === 0) return null;
  let below = 0;
  let tied = 0;
  for (const other of all) {
    if (!Number.isFinite(other)) throw new RangeError(`values must be finite, got ${other}`);
    if (other < value) below++;
    else if (other === value) tied++;
  }
  return ((below + tied / 2) / all.length) * 100;
}

/** The number of entries of the ascending `sorted` that are below `value` (or, with `orEqual`, not above it). */
function countBelow(sorted: readonly number[], value: number, orEqual: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value || (orEqual && sorted[middle] === value)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * {@link percentileRank} for many values against one comparison set: the set is sorted once
 * and each rank is two binary searches, so ranking every team of a large organisation costs
 * n log n rather than n².
 */
export function percentileRanker(all: readonly number[]): (value: number) => number | null {
  for (const other of all)
    if (!Number.isFinite(other)) throw new RangeError(`values must be finite, got ${other}`);
  const sorted = [...all].sort((a, b) => a - b);
  return (value) => {
    if (!Number.isFinite(value)) throw new RangeError(`value must be finite, got ${value}`);
    if (sorted.length === 0) return null;
    const below = countBelow(sorted, value, false);
    const tied = countBelow(sorted, value, true) - below;
    return ((below + tied / 2) / sorted.length) * 100;
  };
}
