import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AggregationService } from '@trellis/aggregation';
import { QUEUES, type TypedJob } from '@trellis/jobs';

/** Closed rounds become indicators and flags; the service is idempotent, so retries are safe. */
@Processor(QUEUES.aggregation, { concurrency: 2 })
export class AggregationProcessor extends WorkerHost {
  constructor(private readonly aggregation: AggregationService) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.aggregation>;
    switch (job.name) {
      case 'round.aggregate':
        return this.aggregation.aggregate(job.data.roundId);
      default: {
        const unknownName: never = job.name;
        throw new Error(`aggregation queue has no handler for job "${String(unknownName)}"`);
      }
    }
  }
}
