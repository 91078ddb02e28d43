import type { FormKind, InstrumentDef, ItemDef, Scale } from './instrument.types';

/** Items asked per dimension on the short form; two keeps a pulse under a minute on a phone. */
export const SHORT_FORM_ITEMS_PER_DIMENSION = 2;

/**
 * The items a form asks, in definition order.
 *
 * The short form rotates through each dimension's items as a window of two that moves by two
 * each round (wrapping around), so any ceil(n/2) consecutive rounds ask every item, and with an
 * odd count the wrap shifts which items share a round instead of always doubling up the first.
 */
export function formItems(def: InstrumentDef, form: FormKind, roundSequence: number): ItemDef[] {
  switch (form) {
    case 'full':
      return [...def.items];
    case 'self':
      return def.items.filter((item) => item.selfText !== undefined && item.selfText !== '');
    case 'short':
      return shortForm(def.items, roundSequence);
  }
}

function shortForm(items: ItemDef[], roundSequence: number): ItemDef[] {
  if (!Number.isSafeInteger(roundSequence) || roundSequence < 0) {
    throw new RangeError(`roundSequence must be a whole number ≥ 0, got ${roundSequence}`);
  }
  const byDimension = new Map<string, ItemDef[]>();
  for (const item of items) {
    const group = byDimension.get(item.dimension) ?? [];
    group.push(item);
    byDimension.set(item.dimension, group);
  }
  const chosen = new Set<ItemDef>();
  const size = SHORT_FORM_ITEMS_PER_DIMENSION;
  for (const group of byDimension.values()) {
    const n = group.length;
    // Reduce before multiplying so a huge sequence number cannot lose integer precision.
    const start = ((roundSequence % n) * size) % n;
    for (let k = 0; k < Math.min(size, n); k++) chosen.add(group[(start + k) % n]);
  }
  return items.filter((item) => chosen.has(item));
}

/**
 * What to show beside each option, lowest first. Without labels, numbers alone do not say which
 * end is agreement, so the ends get a hint.
 */
export function scaleLabels(scale: Scale): string[] {
  if (scale.labels) return [...scale.labels];
  const labels: string[] = [];
  for (let value = scale.min; value <= scale.max; value++) {
    if (value === scale.min) labels.push(`${value} (lowest)`);
    else if (value === scale.max) labels.push(`${value} (highest)`);
    else labels.push(String(value));
  }
  return labels;
}
