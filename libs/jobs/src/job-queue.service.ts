import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '@trellis/config';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_QUEUE,
  jobId,
  QUEUES,
  REPEATABLE_WORK,
  type JobData,
  type JobName,
  type QueueName,
} from './catalogue';

/** Redis did not take the job in time; the work stays recorded in PostgreSQL for the reconciler. */
export class QueueUnavailableError extends Error {
  readonly code = 'EQUEUEUNAVAILABLE';
}

export type RedriveOutcome = 'queued' | 'present' | 'failed-recently';

/** The one way to queue work: typed by the catalogue, deduplicated by a deterministic job id. */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.surveys) surveys: Queue,
    @InjectQueue(QUEUES.aggregation) aggregation: Queue,
    @InjectQueue(QUEUES.exports) exports: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = { maintenance, surveys, aggregation, exports, notifications };
    // Without a listener, BullMQ prints every reconnection failure; one warning a minute is enough.
    let lastWarning = 0;
    for (const queue of Object.values(this.queues)) {
      queue.on('error', (error) => {
        if (Date.now() - lastWarning < 60_000) return;
        lastWarning = Date.now();
        this.logger.warn(
          { err: error, queue: queue.name },
          'queue cannot reach Redis; work waits until it can',
        );
      });
    }
  }

  /**
   * Queues a job, or does nothing if one with its id is still known to Redis. Never waits on a dead
   * Redis for long: with the connection down, or no answer within REDIS_COMMAND_TIMEOUT_MS, it
   * throws QueueUnavailableError and the caller leaves the work to the reconciler.
   */
  async add<N extends JobName>(
    name: N,
    data: JobData<N>,
    options: { delayMs?: number; attempts?: number; backoffMs?: number } = {},
  ): Promise<void> {
    const queue = this.queues[JOB_QUEUE[name]];
    await this.bounded(`queue ${name}`, async () => {
      const client = await queue.getBackend().client;
      // A command to a connection that is not ready waits in ioredis's offline queue for as long
      // as Redis is away; refuse at once instead.
      if (client.status !== 'ready') throw new QueueUnavailableError(`Redis is ${client.status}`);
      await queue.add(name, data, {
        ...DEFAULT_JOB_OPTIONS,
        ...(options.attempts ? { attempts: options.attempts } : {}),
        ...(options.backoffMs
          ? { backoff: { type: 'exponential', delay: options.backoffMs } }
          : {}),
        ...(REPEATABLE_WORK.has(name) ? { removeOnComplete: true } : {}),
        jobId: jobId(name, data),
        delay: options.delayMs,
      });
    });
  }

  /**
   * Queues work the database says is due and not done, whatever Redis remembers of an earlier job
   * with the same id: a completed job (it ended before its work did) or one failed for good
   * (after JOB_REDRIVE_DELAY_MS) is removed first, so the add is not a no-op. A job waiting,
   * delayed or running is left alone.
   */
  async redrive<N extends JobName>(
    name: N,
    data: JobData<N>,
    options: { attempts?: number; backoffMs?: number } = {},
  ): Promise<RedriveOutcome> {
    const queue = this.queues[JOB_QUEUE[name]];
    const id = jobId(name, data);
    const existing = await this.bounded(`look up ${id}`, () => queue.getJob(id));
    if (existing) {
      const state = await this.bounded(`look up ${id}`, () => existing.getState());
      if (state === 'failed') {
        const failedFor = Date.now() - (existing.finishedOn ?? 0);
        if (failedFor < this.config.env.JOB_REDRIVE_DELAY_MS) return 'failed-recently';
      }
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return 'present';
      // A worker may take it up at this very moment; then it is present after all.
      const removed = await this.bounded(`remove ${id}`, () => removeJob(existing));
      if (!removed) return 'present';
      this.logger.log({ jobId: id, state }, 'work still due: queued again');
    }
    await this.add(name, data, options);
    return 'queued';
  }

  /** Jobs that failed for good in one queue, newest first. */
  async failed(name: QueueName, limit = 100): Promise<Job[]> {
    return this.bounded(`list failed jobs of ${name}`, () =>
      this.queues[name].getFailed(0, limit - 1),
    );
  }

  /** How many jobs of a queue wait, run, are delayed or failed for good. */
  async counts(name: QueueName): Promise<Record<string, number>> {
    return this.bounded(`count the jobs of ${name}`, () =>
      this.queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed'),
    );
  }

  /** A job's state by id, or 'gone' once Redis no longer has it. */
  async stateOf(name: string, id: string): Promise<string> {
    const queue = this.queues[name as QueueName];
    if (!queue) return 'gone';
    const job = await this.bounded(`look up ${id}`, () => queue.getJob(id));
    if (!job) return 'gone';
    return this.bounded(`look up ${id}`, () => job.getState());
  }

  private async bounded<T>(what: string, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`Redis did not answer in time (${what})`)),
        this.config.env.REDIS_COMMAND_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([work(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}

async function removeJob(job: Job): Promise<boolean> {
  try {
    await job.remove();
    return true;
  } catch {
    // Locked by a worker that has just taken it.
    return false;
  }
}
