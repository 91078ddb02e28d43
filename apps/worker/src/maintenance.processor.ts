import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ApiTokensService } from '@trellis/identity';
import { QUEUES, type TypedJob } from '@trellis/jobs';

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly tokens: ApiTokensService) {
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
      default: {
        const unknownName: never = job.name;
        throw new Error(`maintenance queue has no handler for job "${String(unknownName)}"`);
      }
    }
  }
}
