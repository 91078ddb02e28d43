import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { DEFAULT_JOB_OPTIONS, JobQueue, QUEUES } from '@trellis/jobs';
import { InstrumentsService } from '@trellis/surveys';

/**
 * Recurring jobs, declared with BullMQ job schedulers: upserting is idempotent, so every worker
 * may declare them and Redis still holds one schedule each.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(Schedules.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly instruments: InstrumentsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.instruments.ensureBuiltIn();
    await this.declare();
    // Redis can come back from an outage empty (no persistence, a failover, a new instance), and
    // the schedules would be gone with it: they are declared again on every reconnection.
    for (const name of [QUEUES.maintenance, QUEUES.surveys]) {
      this.jobs
        .queue(name)
        .getBackend()
        .on('ready', () => {
          this.declare().catch((error: unknown) =>
            this.logger.warn({ err: error }, 'could not declare the job schedules again'),
          );
        });
    }
  }

  /** Declares every recurring job; safe to repeat. */
  private async declare(): Promise<void> {
    await this.jobs
      .queue(QUEUES.maintenance)
      .upsertJobScheduler(
        'api-tokens.prune',
        { pattern: '17 3 * * *', tz: 'UTC' },
        { name: 'api-tokens.prune', data: { olderThanDays: 90 }, opts: DEFAULT_JOB_OPTIONS },
      );
    await this.jobs.queue(QUEUES.maintenance).upsertJobScheduler(
      'outbox.sweep',
      { every: this.config.env.SCHEDULER_TICK_MS },
      {
        name: 'outbox.sweep',
        data: {},
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      },
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
