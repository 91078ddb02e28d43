import type { ExportView, TrendFilters } from '@trellis/exports';
import { esc } from './html';
import { crumbs, layout, type Viewer } from './report-pages';

const FORMAT_WORDS = { csv: 'CSV', xlsx: 'Excel (XLSX)' } as const;

const size = (bytes: number) =>
  bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

function hidden(filters: TrendFilters & { format: string }): string {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${esc(name)}" value="${esc(Array.isArray(value) ? value.join(',') : value)}">`,
    )
    .join('');
}

/** A direct download would be too large: the same export, offered as a background job. */
export function exportTooLargePage(
  orgId: string,
  filters: TrendFilters & { format: 'csv' | 'xlsx' },
  rows: number,
  limit: number,
  viewer: Viewer,
): string {
  const title = 'This export is large';
  return layout(
    title,
    `${crumbs(viewer)}<h1>${esc(title)}</h1>
<section class="card">
  <p>It holds about ${rows.toLocaleString('en')} rows, more than the ${limit.toLocaleString('en')} a direct download streams. Trellis can prepare the file in the background; you download it when it is ready, within a day.</p>
  <form class="commitment-form" method="post" action="/app/organisations/${esc(orgId)}/exports">
    ${hidden(filters)}
    <button type="submit">Prepare the ${esc(FORMAT_WORDS[filters.format])} file</button>
  </form>
  <p><a href="/app/organisations/${esc(orgId)}">Back to the overview</a> to narrow the dates or the part of the organisation.</p>
</section>`,
    viewer,
  );
}

/** A form whose fields do not read: each problem in words. */
export function exportProblemsPage(
  orgId: string,
  problems: readonly { field: string; message: string }[],
  viewer: Viewer,
): string {
  const title = 'This export cannot be made';
  return layout(
    title,
    `${crumbs(viewer)}<h1>${esc(title)}</h1>
<section class="card">
  <ul class="error-summary">${problems.map((p) => `<li class="error">${esc(p.message)}</li>`).join('')}</ul>
  <p><a href="/app/organisations/${esc(orgId)}">Back to the overview</a></p>
</section>`,
    viewer,
  );
}

const STATUS_WORDS: Record<ExportView['status'], string> = {
  queued: 'Waiting for a worker',
  running: 'Being written',
  ready: 'Ready',
  failed: 'Failed',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** One background export: its progress while it runs (the page refreshes itself), then its link. */
export function exportStatusPage(e: ExportView, viewer: Viewer): string {
  const title = `Trend export (${FORMAT_WORDS[e.format]})`;
  const working = e.status === 'queued' || e.status === 'running';
  const progress =
    e.status === 'running' && e.progress.totalRows
      ? `<p><progress max="${e.progress.totalRows}" value="${e.progress.rowsWritten}" aria-label="Rows written">${e.progress.percent ?? 0} %</progress> ${e.progress.rowsWritten.toLocaleString('en')} of about ${e.progress.totalRows.toLocaleString('en')} rows</p>`
      : '';
  const next =
    e.status === 'ready' && e.downloadUrl
      ? `<p><a class="download" href="${esc(e.downloadUrl)}">Download the file</a> (${size(e.bytes ?? 0)}), available until ${esc(e.expiresAt?.slice(0, 16).replace('T', ' '))} UTC.</p>`
      : e.status === 'failed'
        ? `<p class="error">It could not be written: ${esc(e.error ?? 'unknown error')}. Prepare it again from the overview.</p>`
        : e.status === 'expired'
          ? '<p>Its file has been deleted. Prepare it again from the overview.</p>'
          : e.status === 'withdrawn'
            ? `<p>${esc(e.withdrawnBecause ?? 'This export was withdrawn.')}</p>`
            : '<p class="muted">This page refreshes itself every few seconds.</p>';
  return layout(
    title,
    `${crumbs(viewer)}<h1>${esc(title)}</h1>
<section class="card" aria-live="polite">
  <p><strong data-status="${esc(e.status)}">${esc(STATUS_WORDS[e.status])}</strong></p>
  ${progress}${next}
</section>`,
    viewer,
    undefined,
    working ? '\n<meta http-equiv="refresh" content="3">' : '',
  );
}
