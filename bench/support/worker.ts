import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, QUEUES, REPEATABLE_WORK, jobId } from '../../libs/jobs/src/catalogue';
import { withClient, type BenchDatabase } from './database';
import { API, WORKER } from './paths';
import { startService, type Service } from './processes';

export interface WorkerSettings {
  database: BenchDatabase;
  redisUrl: string;
  redisPrefix: string;
  logDir: string;
  /** Further settings, e.g. EXPORT_DIR. */
  env?: Record<string, string>;
}

function connection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
}

/** Queues as the product names them: `<REDIS_PREFIX>:bull` (see libs/jobs bullmq.config). */
function queueOptions(settings: WorkerSettings) {
  return { prefix: `${settings.redisPrefix}:bull`, connection: connection(settings.redisUrl) };
}

/**
 * The real worker process with production settings. Its scheduler tick (which queues the
 * aggregation of any closed round not yet aggregated) runs once at start and then only hourly,
 * so nothing but the benchmark queues aggregation while it measures; start it before loading.
 */
export async function startWorker(settings: WorkerSettings, name: string): Promise<Service> {
  const worker = await startService({
    name,
    script: WORKER,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: settings.database.url,
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: settings.redisPrefix,
      SCHEDULER_TICK_MS: String(3_600_000),
      // A profiling knob: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for the workers only.
      ...(process.env.BENCH_WORKER_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS }
        : {}),
      ...settings.env,
    },
    ready: /trellis worker: processing jobs/,
    logPath: resolve(settings.logDir, `${name}.log`),
  });
  await schedulerSettled(settings);
  return worker;
}

/** The built API with production settings on `port`, its output in `<name>.log`. */
export function startApi(settings: WorkerSettings, name: string, port: number): Promise<Service> {
  return startService({
    name,
    script: API,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: settings.database.url,
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: settings.redisPrefix,
      ...settings.env,
    },
    ready: /trellis api: listening/,
    logPath: resolve(settings.logDir, `${name}.log`),
  });
}

/** Waits until the start-up tick has run: nothing waiting or active, the next tick delayed. */
async function schedulerSettled(settings: WorkerSettings): Promise<void> {
  const surveys = new Queue(QUEUES.surveys, queueOptions(settings));
  try {
    for (let tries = 0; tries < 300; tries++) {
      const counts = await surveys.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      if (counts.waiting + counts.active + counts.prioritized === 0 && counts.delayed > 0) return;
      await sleep(100);
    }
    throw new Error('the worker’s start-up scheduler tick did not finish within 30 s');
  } finally {
    await surveys.close();
  }
}

/** The aggregation queue, used the way `JobQueue.add('round.aggregate', …)` uses it. */
export class AggregationJobs {
  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly databaseUrl: string,
  ) {}

  static async open(settings: WorkerSettings): Promise<AggregationJobs> {
    const options = queueOptions(settings);
    const events = new QueueEvents(QUEUES.aggregation, options);
    // Listening before anything is queued, so no completion can be missed.
    await events.waitUntilReady();
    return new AggregationJobs(
      new Queue(QUEUES.aggregation, options),
      events,
      settings.database.url,
    );
  }

  /**
   * Queues every round at once and resolves when all are aggregated on the organisation's current
   * basis. An organisation's rounds aggregate in period order: a round whose earlier rounds are
   * not done yet is skipped (`waiting`) and reached again as each round hands on to the next.
   */
  async aggregate(roundIds: readonly string[]): Promise<void> {
    const current = (client: import('pg').Client) =>
      client.query<{ roundId: string; epoch: string; done: boolean }>(
        `select r.id as "roundId", o.results_epoch::text as epoch,
                r.aggregated_at is not null and r.results_epoch = o.results_epoch as done
           from round r join organisation o on o.id = r.organisation_id where r.id = any($1::uuid[])`,
        [roundIds],
      );
    await withClient(this.databaseUrl, async (client) => {
      const rounds = (await current(client)).rows;
      const jobs = await Promise.all(
        rounds.map(({ roundId, epoch }) =>
          this.queue.add(
            'round.aggregate',
            { roundId, epoch },
            {
              ...DEFAULT_JOB_OPTIONS,
              ...(REPEATABLE_WORK.has('round.aggregate') ? { removeOnComplete: true } : {}),
              jobId: jobId('round.aggregate', { roundId, epoch }),
            },
          ),
        ),
      );
      const outcomes = await Promise.all(jobs.map((job) => job.waitUntilFinished(this.events)));
      const skipped = outcomes.filter(
        (o: { status?: string; reason?: string } | undefined) =>
          o?.status !== 'aggregated' && o?.reason !== 'waiting',
      );
      if (skipped.length)
        throw new Error(
          `aggregation skipped ${skipped.length} rounds: ${JSON.stringify(skipped[0])}`,
        );
      for (let tries = 0; !(await current(client)).rows.every((r) => r.done); tries++) {
        if (tries > 6000) throw new Error('the rounds were not all aggregated within 10 minutes');
        await sleep(100);
      }
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.events.close();
  }
}
