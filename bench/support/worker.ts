import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, QUEUES, REPEATABLE_WORK, jobId } from '../../libs/jobs/src/catalogue';
import type { BenchDatabase } from './database';
import { WORKER } from './paths';
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
      ...settings.env,
    },
    ready: /trellis worker: processing jobs/,
    logPath: resolve(settings.logDir, `${name}.log`),
  });
  await schedulerSettled(settings);
  return worker;
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
  ) {}

  static async open(settings: WorkerSettings): Promise<AggregationJobs> {
    const options = queueOptions(settings);
    const events = new QueueEvents(QUEUES.aggregation, options);
    // Listening before anything is queued, so no completion can be missed.
    await events.waitUntilReady();
    return new AggregationJobs(new Queue(QUEUES.aggregation, options), events);
  }

  /** Queues every round at once, as the scheduler would, and resolves when all have finished. */
  async aggregate(roundIds: readonly string[]): Promise<void> {
    const jobs = await Promise.all(
      roundIds.map((roundId) =>
        this.queue.add(
          'round.aggregate',
          { roundId },
          {
            ...DEFAULT_JOB_OPTIONS,
            ...(REPEATABLE_WORK.has('round.aggregate') ? { removeOnComplete: true } : {}),
            jobId: jobId('round.aggregate', { roundId }),
          },
        ),
      ),
    );
    const outcomes = await Promise.all(jobs.map((job) => job.waitUntilFinished(this.events)));
    const skipped = outcomes.filter(
      (o: { status?: string } | undefined) => o?.status !== 'aggregated',
    );
    if (skipped.length)
      throw new Error(
        `aggregation skipped ${skipped.length} rounds: ${JSON.stringify(skipped[0])}`,
      );
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.events.close();
  }
}
