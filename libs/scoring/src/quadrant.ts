import type { TeamIndices } from './indices';
import { reaches } from './thresholds';

/**
 * Where a team sits on the alignment × autonomy matrix (after Kniberg; domain.md §3). A point
 * exactly on the midpoint counts as high, as in the model's table (A ≥ 3.5, L ≥ 3.5), rounding
 * noise included (THRESHOLD_TOLERANCE).
 */
export const QUADRANTS = [
  'aligned_autonomy',
  'abandonment_risk',
  'micromanagement_risk',
  'adrift',
] as const;

export type Quadrant = (typeof QUADRANTS)[number];

export const DEFAULT_QUADRANT_MIDPOINT = 3.5;

/** From the autonomy (A) and alignment (L) indices on 1..5; null when either is unknown. */
export function quadrant(
  autonomy: number | null,
  alignment: number | null,
  midpoint: number = DEFAULT_QUADRANT_MIDPOINT,
): Quadrant | null {
  if (autonomy === null || alignment === null) return null;
  // NaN compares false both ways and would silently land in 'adrift'.
  if (Number.isNaN(autonomy) || Number.isNaN(alignment) || Number.isNaN(midpoint)) {
    throw new RangeError('quadrant needs numbers, got NaN');
  }
  const free = reaches(autonomy, midpoint);
  const aligned = reaches(alignment, midpoint);
  if (free) return aligned ? 'aligned_autonomy' : 'abandonment_risk';
  return aligned ? 'micromanagement_risk' : 'adrift';
}

/** The quadrant of a team's indices, e.g. under an organisation's `thresholds.quadrant.midpoint`. */
export function quadrantOf(
  indices: Pick<TeamIndices, 'autonomy' | 'alignment'>,
  midpoint: number = DEFAULT_QUADRANT_MIDPOINT,
): Quadrant | null {
  return quadrant(indices.autonomy?.value ?? null, indices.alignment?.value ?? null, midpoint);
}
