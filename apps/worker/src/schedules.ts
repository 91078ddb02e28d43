import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@trellis/jobs';

/**
 * Recurring jobs, declared with BullMQ job schedulers: upserting is idempotent, so every worker
 * may declare them and Redis still holds one schedule each.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      'api-tokens.prune',
      { pattern: '17 3 * * *', tz: 'UTC' },
      { name: 'api-tokens.prune', data: { olderThanDays: 90 }, opts: DEFAULT_JOB_OPTIONS },
    );
  }
}
