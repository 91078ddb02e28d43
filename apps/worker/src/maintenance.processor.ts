import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ApiTokensService } from '@trellis/identity';
import { QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { Reconciler } from './reconciler';

@Processor(QUEUES.maintenance, workerOptions(1))
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly tokens: ApiTokensService,
    private readonly reconciler: Reconciler,
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
      case 'outbox.sweep':
        return this.reconciler.reconcile();
      default: {
        const unknownJob: never = job;
        throw new Error(`maintenance queue has no handler for ${JSON.stringify(unknownJob)}`);
      }
    }
  }
}
