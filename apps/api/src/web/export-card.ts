import { esc } from './html';

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The overview's download form: trend data as CSV or XLSX for a date range and part of the
 * organisation, downloaded straight away or, for large ones, prepared in the background. The
 * download goes through the same export routes, access checks, suppression and audit entry as
 * any API client.
 */
export function exportCard(
  orgId: string,
  /** The organisation's units in tree order. */
  units: readonly { unit: { id: string; name: string; kind: string }; depth: number }[],
  today = new Date(),
): string {
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(today.getUTCFullYear() - 1);
  const options = units
    .map(
      ({ unit, depth }) =>
        `<option value="${unit.kind === 'organisation' ? '' : esc(unit.id)}">${'– '.repeat(depth)}${esc(unit.name)}</option>`,
    )
    .join('');
  const base = `/app/organisations/${esc(orgId)}`;
  return `<section class="card" aria-labelledby="export-h">
  <h2 id="export-h">Download trend data</h2>
  <p class="muted">One row per team, round and dimension: respondents, response rate, mean with its interval, 0–100 score, favourable share, agreement, quadrant and flags. Teams below the anonymity minimum keep their head count and nothing else, exactly as on this page.</p>
  <form class="commitment-form export-form" method="get" action="${base}/export">
    <div class="row">
      <div><label for="export-from">Rounds starting from</label><input id="export-from" name="from" type="date" value="${day(yearAgo)}" required></div>
      <div><label for="export-to">up to</label><input id="export-to" name="to" type="date" value="${day(today)}" required></div>
    </div>
    <label for="export-unit">Part of the organisation</label>
    <select id="export-unit" name="unitId">${options}</select>
    <label for="export-format">Format</label>
    <select id="export-format" name="format"><option value="csv">CSV</option><option value="xlsx">Excel (XLSX)</option></select>
    <div class="buttons">
      <button type="submit">Download</button>
      <button type="submit" formmethod="post" formaction="${base}/exports">Prepare in the background</button>
    </div>
  </form>
</section>`;
}
