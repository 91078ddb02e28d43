import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ExportJobsService } from '@trellis/exports';
import { QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';

/** Builds export files; one at a time per worker, since each streams a whole organisation. */
@Processor(QUEUES.exports, workerOptions(1))
export class ExportsProcessor extends WorkerHost {
  constructor(private readonly exports: ExportJobsService) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.exports>;
    switch (job.name) {
      case 'export.build':
        return this.exports.build(
          job.data.exportId,
          raw.attemptsMade + 1 >= (raw.opts.attempts ?? 1),
        );
      default: {
        const unknownName: never = job.name;
        throw new Error(`exports queue has no handler for job "${String(unknownName)}"`);
      }
    }
  }
}
