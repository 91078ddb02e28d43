import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AggregationService } from '@trellis/aggregation';
import { QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { NotificationsService } from '@trellis/notifications';

/**
 * Closed rounds become indicators and flags, then the notifications new flags call for. Both
 * steps are idempotent, so retries are safe.
 */
@Processor(QUEUES.aggregation, workerOptions(2))
export class AggregationProcessor extends WorkerHost {
  constructor(
    private readonly aggregation: AggregationService,
    private readonly notifications: NotificationsService,
  ) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.aggregation>;
    switch (job.name) {
      case 'round.aggregate': {
        const outcome = await this.aggregation.aggregate(job.data.roundId);
        // After the results commit: delivery runs in its own jobs and cannot hold this one up.
        if (outcome.status === 'aggregated')
          return {
            ...outcome,
            notifications: await this.notifications.recordNewFlags(job.data.roundId),
          };
        return outcome;
      }
      default: {
        const unknownName: never = job.name;
        throw new Error(`aggregation queue has no handler for job "${String(unknownName)}"`);
      }
    }
  }
}
