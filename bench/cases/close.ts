import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import { organisationAnonymity } from '../../libs/anonymity/src/settings';
import { createClosingRound, type ClosingRound } from '../fixtures/closing-round';
import { hrApiToken } from '../fixtures/hr-api-token';
import { builtInInstrument } from '../fixtures/instrument';
import type { BenchCase } from '../support/context';
import { cpuDuring, repeatedRuns, type RepeatedRuns } from '../support/cpu';
import { connect, withClient } from '../support/database';
import {
  freePort,
  peakMemoryMiB,
  resetPeakMemory,
  residentMemoryMiB,
  type Service,
} from '../support/processes';
import { startApi, startWorker } from '../support/worker';

/** Teams of 8–10 in the round; BENCH_CLOSE_TEAMS for another size (e.g. 300 to try the case). */
const TEAMS = Number(process.env.BENCH_CLOSE_TEAMS ?? 10_000);
/**
 * The share of submissions still in the pool when the round closes: those that arrived since the
 * last mix. With the production tick (30 s) it is usually smaller; a tenth makes the close's own
 * mix visible in the figure. BENCH_CLOSE_POOLED to change.
 */
const POOLED_SHARE = Number(process.env.BENCH_CLOSE_POOLED ?? 0.1);
const SEED = 20261206;
const BASELINE_REPETITIONS = 3;
const POLL_MS = 50;
const TIMEOUT_MS = 30 * 60_000;

/**
 * The baseline: every team's dimension means by the measurement model's rule (reverse keys
 * applied; a person counts for a dimension when they answered at least half of its statements),
 * for teams with at least k respondents, stored in a table — from a plaintext copy of the same
 * answers, one statement in one transaction, no product code, table or query.
 */
const BASELINE = `
  insert into bench_close_result (unit_id, dimension, n, mean)
  with person as materialized (
    select a.unit_id, a.respondent, i.dimension, i.items, count(*) as answered,
           avg(case when i.reverse_keyed then i.mirror - a.value else a.value end) as score
      from bench_close_answer a join bench_close_item i on i.item_key = a.item_key
     group by a.unit_id, a.respondent, i.dimension, i.items),
  shown as (
    select unit_id from person group by unit_id having count(distinct respondent) >= $1)
  select p.unit_id, p.dimension, count(*), avg(p.score)
    from person p join shown s on s.unit_id = p.unit_id
   where p.answered * 2 >= p.items
   group by p.unit_id, p.dimension`;

async function baseline(client: Client, k: number): Promise<void> {
  await client.query('begin');
  try {
    await client.query('truncate bench_close_result');
    await client.query(BASELINE, [k]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

interface Closed {
  /** From sending the request to the round aggregated on its organisation's current basis. */
  ms: number;
  /** How long the API took to accept the request (202). */
  acceptedMs: number;
  /** When, after the request, the close's transaction began (`closed_at`, PostgreSQL's now()). */
  closeStartedMs: number;
  /** When, after the request, the aggregation's transaction began (`aggregated_at`). */
  aggregationStartedMs: number;
}

/** "Close now" as HR asks for it, then the round polled until the worker has aggregated it. */
async function closeThroughApi(
  base: string,
  token: string,
  client: Client,
  roundId: string,
): Promise<Closed> {
  const requested = Date.now();
  const response = await fetch(`${base}/rounds/${roundId}/close`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 202)
    throw new Error(`close request: ${response.status} ${await response.text()}`);
  const acceptedMs = Date.now() - requested;
  for (;;) {
    const { rows } = await client.query<{ done: boolean; closed: number; aggregated: number }>(
      `select r.aggregated_at is not null and r.results_epoch = o.results_epoch as done,
              extract(epoch from r.closed_at) * 1000 as closed,
              extract(epoch from r.aggregated_at) * 1000 as aggregated
         from round r join organisation o on o.id = r.organisation_id where r.id = $1`,
      [roundId],
    );
    if (rows[0].done)
      return {
        ms: Date.now() - requested,
        acceptedMs,
        closeStartedMs: Number(rows[0].closed) - requested,
        aggregationStartedMs: Number(rows[0].aggregated) - requested,
      };
    if (Date.now() - requested > TIMEOUT_MS)
      throw new Error(`the round was not aggregated within ${TIMEOUT_MS / 60_000} minutes`);
    await sleep(POLL_MS);
  }
}

interface Checked {
  teamsAtK: number;
  dimensions: number;
  teamResults: number;
}

/**
 * The close did all its work: the pool is empty, every submission is one response, the marks
 * lost their receipts; and the aggregation stored, for every team with at least k respondents
 * and no other, each dimension's figure — the baseline's n and mean, to 1e-9.
 */
async function check(client: Client, round: ClosingRound, k: number): Promise<Checked> {
  const {
    rows: [state],
  } = await client.query<{
    status: string;
    pooled: number;
    responses: number;
    marks: number;
    receipts: number;
  }>(
    `select r.status,
            (select count(*) from response_pool p where p.round_id = r.id)::int as pooled,
            (select count(*) from response x where x.round_id = r.id and x.kind = 'member')::int as responses,
            (select count(*) from participation p where p.round_id = r.id)::int as marks,
            (select count(*) from participation p where p.round_id = r.id and p.receipt is not null)::int as receipts
       from round r where r.id = $1`,
    [round.roundId],
  );
  if (
    state.status !== 'closed' ||
    state.pooled !== 0 ||
    state.responses !== round.answered ||
    state.marks !== round.answered ||
    state.receipts !== 0
  )
    throw new Error(`after the close: ${JSON.stringify(state)} for ${round.answered} submissions`);

  const {
    rows: [expected],
  } = await client.query<{ teams: number; dimensions: number }>(
    `select (select count(*) from (select unit_id from bench_close_answer group by unit_id
                                    having count(distinct respondent) >= $1) t)::int as teams,
            (select count(distinct dimension) from bench_close_item)::int as dimensions`,
    [k],
  );
  const { rows: stored } = await client.query<{
    unitId: string;
    dimension: string;
    n: number;
    mean: number;
  }>(
    `select ur.unit_id as "unitId", ur.dimension, ur.n, ur.mean
       from unit_result ur join unit u on u.id = ur.unit_id
      where ur.round_id = $1 and not ur.rollup and u.kind = 'team'`,
    [round.roundId],
  );
  const { rows: computed } = await client.query<{
    unitId: string;
    dimension: string;
    n: number;
    mean: number;
  }>(`select unit_id as "unitId", dimension, n, mean from bench_close_result`);
  const want = expected.teams * expected.dimensions;
  if (stored.length !== want || computed.length !== want)
    throw new Error(
      `${stored.length} team results stored, baseline ${computed.length}, for ${expected.teams} teams at k × ${expected.dimensions} dimensions`,
    );
  const byKey = new Map(computed.map((c) => [`${c.unitId}|${c.dimension}`, c]));
  for (const s of stored) {
    const c = byKey.get(`${s.unitId}|${s.dimension}`);
    if (!c || c.n !== s.n || Math.abs(c.mean - s.mean) > 1e-9)
      throw new Error(`product and baseline differ: ${JSON.stringify([s, c])}`);
  }
  return { teamsAtK: expected.teams, dimensions: expected.dimensions, teamResults: stored.length };
}

/**
 * Round close: the state just before a large round closes (most members answered, most answers
 * mixed, some still pooled), then "close now" through the API as HR asks for it; the real
 * worker's `round.close` job mixes the rest and rewrites the marks, and hands on to
 * `round.aggregate`. Timed from the request to the round aggregated, with the CPU of the worker,
 * the API and the database's server processes, and the worker's peak memory; against one
 * hand-written statement computing and storing the same team means from a plaintext copy.
 */
export const close: BenchCase = {
  name: 'close',
  title: 'Round close',
  async run(context) {
    const database = await context.database('close');
    const redisPrefix = context.redisPrefix('close');
    // Started before the data exists, so its start-up tick neither mixes the pool nor closes.
    const worker = await startWorker(
      { database, redisUrl: context.redisUrl, redisPrefix, logDir: context.logDir },
      'close-worker',
    );
    let api: Service | undefined;
    try {
      context.log(`seeding ${TEAMS} teams, ${POOLED_SHARE} of submissions pooled`);
      const { round, token, k } = await withClient(database.url, async (client) => {
        const round = await createClosingRound(client, await builtInInstrument(client), {
          teams: TEAMS,
          pooledShare: POOLED_SHARE,
          seed: SEED,
        });
        const token = await hrApiToken(client, round.organisationId);
        const {
          rows: [org],
        } = await client.query<{ settings: unknown }>(
          `select settings from organisation where id = $1`,
          [round.organisationId],
        );
        await client.query('vacuum (analyze)');
        return { round, token, k: organisationAnonymity(org.settings).minGroupSize };
      });
      context.log(
        `${round.invited} invited, ${round.answered} answered (${round.mixed} mixed, ${round.pooled} pooled), k = ${k}`,
      );
      const port = await freePort();
      api = await startApi(
        { database, redisUrl: context.redisUrl, redisPrefix, logDir: context.logDir },
        'close-api',
        port,
      );
      const apiPid = api.pid;

      return await withClient(database.url, async (client) => {
        const monitor = await connect(database.url);
        let product: { result: Closed; cpuMs: number };
        let idleMiB: number;
        let peakMiB: number;
        let baselineRuns: RepeatedRuns;
        try {
          idleMiB = residentMemoryMiB(worker.pid);
          resetPeakMemory(worker.pid);
          product = await cpuDuring(monitor, [worker.pid, apiPid], () =>
            closeThroughApi(`http://127.0.0.1:${port}`, token, client, round.roundId),
          );
          peakMiB = peakMemoryMiB(worker.pid);
          context.log(
            `product: ${(product.result.ms / 1000).toFixed(1)} s (close began at ${(product.result.closeStartedMs / 1000).toFixed(1)} s, aggregation at ${(product.result.aggregationStartedMs / 1000).toFixed(1)} s), CPU ${(product.cpuMs / 1000).toFixed(1)} s, worker peak ${peakMiB.toFixed(0)} MiB (idle ${idleMiB.toFixed(0)})`,
          );
          baselineRuns = await repeatedRuns(monitor, [process.pid], BASELINE_REPETITIONS, () =>
            baseline(client, k),
          );
        } finally {
          await monitor.end();
        }
        const { ms: baselineMs, cpuMs: baselineCpuMs } = baselineRuns;
        context.log(
          `baseline: ${(baselineMs / 1000).toFixed(2)} s (median of ${BASELINE_REPETITIONS}), CPU ${(baselineCpuMs / 1000).toFixed(2)} s`,
        );
        const checked = await check(client, round, k);
        const size = round.teams.toLocaleString('en-GB');
        return [
          {
            case: `Round close: ${size} teams, close request → aggregated`,
            product: { value: product.result.ms / 1000, unit: 's' },
            baseline: { value: baselineMs / 1000, unit: 's' },
            ratioOf: 'product / baseline',
            ratio: product.result.ms / baselineMs,
            goal: 'reported',
            met: null,
            details: {
              ...round,
              pooledShare: POOLED_SHARE,
              k,
              ...checked,
              product: product.result,
              baselineRunsMs: baselineRuns.runsMs,
            },
          },
          {
            case: 'Round close: CPU time (worker + API + PostgreSQL)',
            product: { value: product.cpuMs / 1000, unit: 's' },
            baseline: { value: baselineCpuMs / 1000, unit: 's' },
            ratioOf: 'product / baseline',
            ratio: product.cpuMs / baselineCpuMs,
            goal: 'reported',
            met: null,
            details: { baselineCpuRunsMs: baselineRuns.cpuRunsMs },
          },
          {
            case: 'Round close: worker peak memory',
            product: { value: peakMiB, unit: 'MiB' },
            baseline: { value: idleMiB, unit: 'MiB' },
            ratioOf: 'peak while closing / resident before',
            ratio: peakMiB / idleMiB,
            goal: 'reported',
            met: null,
          },
        ];
      });
    } finally {
      await api?.stop();
      await worker.stop();
    }
  },
};
