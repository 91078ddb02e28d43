import type { RoundChoice } from '@trellis/reporting';

/** "2026-11-02 to 2026-11-15 · Team pulse": the period and what campaign it belongs to. */
export function roundLabel(r: RoundChoice): string {
  const source = r.campaign ? r.campaign.name : r.source === 'import' ? 'imported history' : '';
  return `${r.periodStart} to ${r.periodEnd}${source ? ` · ${source}` : ''}`;
}

/**
 * A GET form that picks the round to show (`?round=`, the latest by default) and, where
 * `compare` is given, an earlier round to compare with (`?compare=`). Works without JavaScript:
 * the button reloads the page with the choice in its address, which can be bookmarked.
 */
export function RoundPicker({
  action,
  rounds,
  selectedId,
  compare,
}: {
  action: string;
  /** Oldest first. */
  rounds: RoundChoice[];
  selectedId: string | null;
  /** The comparison choice, when the page offers one. */
  compare?: { selectedId: string | null };
}) {
  if (rounds.length === 0) return null;
  const newestFirst = [...rounds].reverse();
  const latestId = rounds.at(-1)!.id;
  return (
    <form
      method="get"
      action={action}
      class="card toolbar round-picker"
      aria-label="Choose a round"
    >
      <div class="field">
        <label for="round">Round</label>
        <select id="round" name="round">
          {newestFirst.map((r) => (
            <option value={r.id} selected={r.id === selectedId}>
              {roundLabel(r)}
              {r.id === latestId ? ' (latest)' : ''}
            </option>
          ))}
        </select>
      </div>
      {compare ? (
        <div class="field">
          <label for="compare">Compare with</label>
          <select id="compare" name="compare">
            <option value="" selected={!compare.selectedId}>
              No comparison
            </option>
            {newestFirst.map((r) => (
              <option value={r.id} selected={r.id === compare.selectedId}>
                {roundLabel(r)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit">Show</button>
    </form>
  );
}
