/**
 * A person's score on one dimension (domain.md §2): the mean of the items they answered, after
 * reverse keying; missing when they answered fewer than half the dimension's items. Skipped
 * items ("Prefer not to answer") are simply absent. Aggregation marks each person's dimension
 * with `countsForDimension` as it opens their answers (aggregation.repository.ts,
 * `round_person.counted`) and adds up the scores in SQL; the tests hold the stored figures to it.
 */

/** Whether `answered` of a dimension's `items` are enough for a score: at least half. */
export function countsForDimension(answered: number, items: number): boolean {
  if (!Number.isInteger(items) || items < 1)
    throw new RangeError(`items must be ≥ 1, got ${items}`);
  if (!Number.isInteger(answered) || answered < 0 || answered > items)
    throw new RangeError(`answered must be a count from 0 to ${items}, got ${answered}`);
  // Twice the count against the item count: exact, no 1.5 rounded either way.
  return answered > 0 && answered * 2 >= items;
}

/**
 * The person's dimension score from their answers to its `items` items, already reverse-keyed
 * (null for a skipped item); null when too few were answered.
 */
export function personDimensionScore(
  scored: readonly (number | null)[],
  items: number = scored.length,
): number | null {
  if (scored.length > items)
    throw new RangeError(`got ${scored.length} answers for a dimension of ${items} items`);
  const answered = scored.filter((v): v is number => v !== null);
  if (!countsForDimension(answered.length, items)) return null;
  return answered.reduce((a, b) => a + b, 0) / answered.length;
}
