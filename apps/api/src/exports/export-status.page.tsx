import type { ExportView } from '@trellis/exports';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { FORMAT_WORDS } from './export-form';

export const STATUS_WORDS: Readonly<Record<ExportView['status'], string>> = {
  queued: 'Waiting for a worker',
  running: 'Being written',
  ready: 'Ready',
  failed: 'Failed',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** Seconds between looks while an export is being written (the Refresh header). */
export const EXPORT_REFRESH_SECONDS = 3;

const size = (bytes: number) =>
  bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

export const isWorking = (e: ExportView) => e.status === 'queued' || e.status === 'running';

function Next({ e, again }: { e: ExportView; again: string }) {
  switch (e.status) {
    case 'ready':
      return e.downloadUrl ? (
        <p>
          <a class="download" href={e.downloadUrl}>
            Download the file
          </a>{' '}
          ({size(e.bytes ?? 0)}), available until{' '}
          {e.expiresAt ? `${e.expiresAt.slice(0, 16).replace('T', ' ')} UTC` : 'tomorrow'}.
        </p>
      ) : null;
    case 'failed':
      return (
        <p class="error">
          It could not be written: {e.error ?? 'unknown error'}.{' '}
          <a href={again}>Prepare it again</a>.
        </p>
      );
    case 'expired':
      return (
        <p>
          Its file has been deleted. <a href={again}>Prepare it again</a>.
        </p>
      );
    case 'withdrawn':
      return <p>{e.withdrawnBecause ?? 'This export was withdrawn.'}</p>;
    case 'queued':
    case 'running':
      return (
        <p class="muted">
          This page looks again every few seconds. <a href="">Look now</a>.
        </p>
      );
  }
}

/** One background export: its progress while it runs (the page reloads itself), then its link. */
export function ExportStatusPage({ e, orgId }: { e: ExportView; orgId: string }) {
  const title = `Trend export (${FORMAT_WORDS[e.format]})`;
  const again = consolePaths.exports(orgId);
  return (
    <Layout title={title}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={consolePaths.overview(orgId)}>Organisation overview</a> ·{' '}
        <a href={again}>Download trend data</a>
      </nav>
      <h1>{title}</h1>
      <section class="card" aria-live="polite">
        <p>
          <strong data-status={e.status}>{STATUS_WORDS[e.status]}</strong>
        </p>
        {e.status === 'running' && e.progress.totalRows ? (
          <p>
            <progress
              max={e.progress.totalRows}
              value={e.progress.rowsWritten}
              aria-label="Rows written"
            >
              {e.progress.percent ?? 0} %
            </progress>{' '}
            {e.progress.rowsWritten.toLocaleString('en')} of about{' '}
            {e.progress.totalRows.toLocaleString('en')} rows
          </p>
        ) : null}
        <Next e={e} again={again} />
      </section>
    </Layout>
  );
}
