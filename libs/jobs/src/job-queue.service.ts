import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
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

  async add<N extends JobName>(
    name: N,
    data: JobData<N>,
    options: { delayMs?: number; attempts?: number; backoffMs?: number } = {},
  ): Promise<void> {
    await this.queues[JOB_QUEUE[name]].add(name, data, {
      ...DEFAULT_JOB_OPTIONS,
      ...(options.attempts ? { attempts: options.attempts } : {}),
      ...(options.backoffMs ? { backoff: { type: 'exponential', delay: options.backoffMs } } : {}),
      ...(REPEATABLE_WORK.has(name) ? { removeOnComplete: true } : {}),
      jobId: jobId(name, data),
      delay: options.delayMs,
    });
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
