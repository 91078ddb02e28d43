import { assertCount } from './hierarchy';
import { assertAnonymitySettings, type AnonymitySettings } from './settings';
import { decideVisibility, type RoundState, type UnitRespondents } from './visibility';

export interface SubsetCounts {
  /** Respondents of the shown aggregate the filter narrows. */
  total: number;
  /** Respondents the filter keeps. */
  subset: number;
  /** Respondents the filter drops: total − subset. */
  complement: number;
}

/**
 * Whether a filtered view may be shown next to the unfiltered total it narrows: each side must
 * hold 0 or ≥ k, or total minus subset isolates the complement. This is the check for one pair;
 * two filters that each pass it can still intersect in fewer than k people, so filters over the
 * unit hierarchy go through `filterVisible`.
 */
export function subsetVisible(counts: SubsetCounts, settings: AnonymitySettings): boolean {
  assertAnonymitySettings(settings);
  const { total, subset, complement } = counts;
  assertCount(total, 'total');
  assertCount(subset, 'subset');
  assertCount(complement, 'complement');
  if (subset + complement !== total) {
    throw new RangeError(`subset (${subset}) + complement (${complement}) ≠ total (${total})`);
  }
  const safe = (n: number): boolean => n === 0 || n >= settings.minGroupSize;
  return safe(subset) && safe(complement);
}

/**
 * Whether an aggregate over an arbitrary set of units — an export for some teams, "the
 * organisation without team X" — may be shown alongside everything `decideVisibility` shows.
 * `selectedUnitIds` names the units whose own (direct) respondents the filter includes; list a
 * department's descendants too if the filter means the whole department.
 *
 * The shown aggregates split people into blocks (each shown unit's remainder, see `suppress`)
 * that all hold 0 or ≥ k. A filter is safe when it never cuts a block: then every combination
 * of shown aggregates and any number of such filters is still a sum of whole blocks. A filter
 * that cuts a block in two pieces of ≥ k each would pass a pairwise check, but two such filters
 * can overlap in fewer than k people. People under no shown unit form no block anyone can see;
 * a filter may take them only all together, and only if they are ≥ k.
 */
export function filterVisible(
  units: readonly UnitRespondents[],
  round: RoundState,
  settings: AnonymitySettings,
  selectedUnitIds: Iterable<string>,
): boolean {
  const decision = decideVisibility(units, round, settings);
  if (!round.roundClosed) return false;
  const selected = new Set(selectedUnitIds);
  for (const id of selected) {
    if (!decision.has(id)) throw new RangeError(`selected unit ${id} is not in the hierarchy`);
  }
  const parentOf = new Map(units.map((unit) => [unit.id, unit.parentId]));
  const blockOf = (id: string): string | null => {
    for (let at: string | null = id; at !== null; at = parentOf.get(at) ?? null) {
      if (decision.get(at)?.shown) return at;
    }
    return null;
  };

  const blocks = new Map<string | null, { inside: number; outside: number }>();
  for (const unit of units) {
    const key = blockOf(unit.id);
    const block = blocks.get(key) ?? { inside: 0, outside: 0 };
    if (selected.has(unit.id)) block.inside += unit.respondents;
    else block.outside += unit.respondents;
    blocks.set(key, block);
  }
  for (const [key, { inside, outside }] of blocks) {
    if (inside === 0) continue;
    if (outside > 0) return false;
    if (key === null && inside < settings.minGroupSize) return false;
  }
  return true;
}
