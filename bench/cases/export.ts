import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hrApiToken } from '../fixtures/hr-api-token';
import { builtInInstrument } from '../fixtures/instrument';
import { createTrendResults } from '../fixtures/trend-results';
import type { BenchCase } from '../support/context';
import { withClient } from '../support/database';
import {
  freePort,
  peakMemoryMiB,
  resetPeakMemory,
  residentMemoryMiB,
  type Service,
} from '../support/processes';
import { psqlCopy } from '../support/psql-copy';
import { startApi, startWorker } from '../support/worker';

/** 2,101 units × 80 rounds × 6 dimensions: about a million trend rows. */
const SIZE = { teams: 2_000, departments: 100, rounds: 80 };
const POLL_MS = 50;

interface ExportView {
  id: string;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  progress: { rowsWritten: number; totalRows: number | null };
  bytes: number | null;
  error: string | null;
}

/**
 * The baseline's rows: the same results, units and rounds, one row per unit × round × dimension
 * in the export's order, without the anonymity scope the product applies first.
 */
function sameRows(organisationId: string): string {
  return `select to_char(r.period_start, 'YYYY-MM-DD') as period_start, to_char(r.period_end, 'YYYY-MM-DD') as period_end,
       u.name as team, u.kind as unit_kind, ur.dimension, tr.respondents,
       round((tr.response_rate * 100)::numeric, 1)::float8 as response_rate_pct, ur.n,
       round(ur.mean::numeric, 3)::float8 as mean, round(ur.ci_low::numeric, 3)::float8 as ci_low,
       round(ur.ci_high::numeric, 3)::float8 as ci_high, round(ur.score::numeric, 1)::float8 as score_0_100,
       round((ur.favourable * 100)::numeric, 1)::float8 as favourable_pct,
       round(ur.rwg_j::numeric, 3)::float8 as rwg_j, tr.quadrant, ur.round_id, ur.unit_id
  from unit_result ur join round r on r.id = ur.round_id join unit u on u.id = ur.unit_id
  left join team_round tr on tr.round_id = ur.round_id and tr.unit_id = ur.unit_id
 where ur.organisation_id = '${organisationId}'
 order by r.period_start, r.id, u.name, ur.unit_id, ur.dimension`;
}

async function call<T>(url: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * POST the export as HR would, then poll it until the worker has written the whole file.
 * Also returns how long the POST took: it counts the rows (deciding the anonymity scope) before
 * the job starts.
 */
async function exportThroughJob(
  base: string,
  organisationId: string,
  token: string,
  filters: Record<string, unknown> = {},
): Promise<ExportView & { acceptedMs: number }> {
  const started = performance.now();
  const created = await call<ExportView>(`${base}/organisations/${organisationId}/exports`, token, {
    method: 'POST',
    body: JSON.stringify({ format: 'csv', ...filters }),
  });
  const acceptedMs = performance.now() - started;
  for (;;) {
    const view = await call<ExportView>(`${base}/exports/${created.id}`, token);
    if (view.status === 'ready') return { ...view, acceptedMs };
    if (view.status !== 'queued' && view.status !== 'running')
      throw new Error(`export ${view.status}: ${view.error}`);
    await sleep(POLL_MS);
  }
}

/**
 * Export: a million-row trend CSV built the way the product builds large exports — POST
 * /organisations/:id/exports, the worker's export job writing the file — timed from the request
 * to the file being ready, against psql copying the same rows to stdout. Memory is flat when
 * the worker's peak while writing a million rows is about its peak while writing a sixth of them
 * (one dimension); psql's peak is recorded for reference.
 */
export const exportCsv: BenchCase = {
  name: 'export',
  title: 'Export: 1M-row CSV',
  async run(context) {
    const database = await context.database('export');
    const { results, token } = await withClient(database.url, async (client) => {
      const results = await createTrendResults(client, await builtInInstrument(client), SIZE);
      return { results, token: await hrApiToken(client, results.organisationId) };
    });
    context.log(`${results.rows} trend rows`);
    const exportDir = await mkdtemp(join(tmpdir(), 'trellis-bench-export-'));
    const redisPrefix = context.redisPrefix('export');
    const worker = await startWorker(
      {
        database,
        redisUrl: context.redisUrl,
        redisPrefix,
        logDir: context.logDir,
        env: { EXPORT_DIR: exportDir },
      },
      'export-worker',
    ).catch(async (error: unknown) => {
      await rm(exportDir, { recursive: true, force: true });
      throw error;
    });
    let api: Service | undefined;
    try {
      const port = await freePort();
      api = await startApi(
        {
          database,
          redisUrl: context.redisUrl,
          redisPrefix,
          logDir: context.logDir,
          env: { EXPORT_DIR: exportDir },
        },
        'export-api',
        port,
      );
      const idleMiB = residentMemoryMiB(worker.pid);
      const base = `http://127.0.0.1:${port}`;
      resetPeakMemory(worker.pid);
      const small = await exportThroughJob(base, results.organisationId, token, {
        dimensions: ['psych_safety'],
      });
      const smallPeakMiB = peakMemoryMiB(worker.pid);
      resetPeakMemory(worker.pid);
      const started = performance.now();
      const view = await exportThroughJob(base, results.organisationId, token);
      const productMs = performance.now() - started;
      const productPeakMiB = peakMemoryMiB(worker.pid);
      const productRows = view.progress.rowsWritten;
      const baseline = await psqlCopy(database.url, sameRows(results.organisationId));
      context.log(
        `product ${productRows} rows in ${(productMs / 1000).toFixed(1)} s, psql ${baseline.rows} rows in ${(baseline.ms / 1000).toFixed(1)} s`,
      );

      const productRate = productRows / (productMs / 1000);
      const baselineRate = baseline.rows / (baseline.ms / 1000);
      const details = {
        ...SIZE,
        productRows,
        productBytes: view.bytes,
        productMs,
        postAcceptedMs: view.acceptedMs,
        workerIdleMiB: idleMiB,
        baseline,
      };
      return [
        {
          case: 'Export: CSV throughput',
          product: { value: productRate, unit: 'rows/s' },
          baseline: { value: baselineRate, unit: 'rows/s' },
          ratioOf: 'product / psql COPY',
          ratio: productRate / baselineRate,
          goal: '≥ 0.5',
          met: productRate / baselineRate >= 0.5,
          details,
        },
        {
          case: 'Export: worker peak memory',
          product: { value: productPeakMiB, unit: 'MiB' },
          baseline: { value: smallPeakMiB, unit: 'MiB' },
          ratioOf: `${productRows} rows / ${small.progress.rowsWritten} rows`,
          ratio: productPeakMiB / smallPeakMiB,
          goal: 'flat (≤ 1.2)',
          met: productPeakMiB / smallPeakMiB <= 1.2,
          details: { workerIdleMiB: idleMiB, psqlPeakMiB: baseline.peakMiB },
        },
      ];
    } finally {
      await api?.stop();
      await worker.stop();
      await rm(exportDir, { recursive: true, force: true });
    }
  },
};
