import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ExportJobsService } from '@trellis/exports';
import { ApiTokensService } from '@trellis/identity';
import { QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { NotificationsService } from '@trellis/notifications';

@Processor(QUEUES.maintenance, workerOptions(1))
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly tokens: ApiTokensService,
    private readonly exports: ExportJobsService,
    private readonly notifications: NotificationsService,
  ) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.maintenance>;
    switch (job.name) {
      case 'api-tokens.prune': {
        const removed = await this.tokens.pruneRevoked(job.data.olderThanDays);
        this.logger.log({ removed }, 'pruned revoked API tokens');
        return { removed };
      }
      case 'outbox.sweep': {
        const exports = await this.exports.sweep();
        const notifications = await this.notifications.sweep();
        return { ...exports, notifications };
      }
      default: {
        const unknownJob: never = job;
        throw new Error(`maintenance queue has no handler for ${JSON.stringify(unknownJob)}`);
      }
    }
  }
}
