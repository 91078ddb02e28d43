import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { DEFAULT_JOB_OPTIONS, JobQueue, QUEUES } from '@trellis/jobs';
import { InstrumentsService } from '@trellis/surveys';

/**
 * Recurring jobs, declared with BullMQ job schedulers: upserting is idempotent, so every worker
 * may declare them and Redis still holds one schedule each.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly instruments: InstrumentsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.instruments.ensureBuiltIn();
    await this.jobs
      .queue(QUEUES.maintenance)
      .upsertJobScheduler(
        'api-tokens.prune',
        { pattern: '17 3 * * *', tz: 'UTC' },
        { name: 'api-tokens.prune', data: { olderThanDays: 90 }, opts: DEFAULT_JOB_OPTIONS },
      );
    await this.jobs.queue(QUEUES.surveys).upsertJobScheduler(
      'rounds.tick',
      { every: this.config.env.SCHEDULER_TICK_MS },
      {
        name: 'rounds.tick',
        data: {},
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      },
    );
  }
}
