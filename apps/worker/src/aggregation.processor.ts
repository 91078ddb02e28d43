import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AggregationService } from '@trellis/aggregation';
import { JobQueue, QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { NotificationsService } from '@trellis/notifications';
import { RoundsService } from '@trellis/surveys';

/**
 * Closed rounds become indicators and flags, then the notifications new flags call for. Both
 * steps are idempotent, so retries are safe. Each job then queues its organisation's next stale
 * round, so rounds are re-derived in period order (the scheduler's tick queues the same job
 * should this hand-on be lost); it also queues the round after it at its start, which goes
 * ahead beside it and waits for its results before its own flags, and when it ends the round
 * after the next one, which goes ahead beside that: two rounds at a time, one after another.
 */
@Processor(QUEUES.aggregation, workerOptions(2))
export class AggregationProcessor extends WorkerHost {
  constructor(
    private readonly aggregation: AggregationService,
    private readonly notifications: NotificationsService,
    private readonly rounds: RoundsService,
    private readonly jobs: JobQueue,
  ) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.aggregation>;
    switch (job.name) {
      case 'round.aggregate': {
        // Once this round goes ahead (and not itself beside an earlier one), the next stale
        // round may go ahead beside it, waiting for its results just before its own flags:
        // queued then, a second job slot has work. Rounds so go two at a time.
        const outcome = await this.aggregation.aggregate(job.data.roundId, async (beside) => {
          if (beside) return;
          for (const next of await this.rounds.staleRounds({ after: job.data.roundId }))
            await this.jobs.add('round.aggregate', { roundId: next.roundId, epoch: next.epoch });
        });
        // After the results commit: delivery runs in its own jobs and cannot hold this one up.
        const notifications =
          outcome.status === 'aggregated'
            ? await this.notifications.recordNewFlags(job.data.roundId)
            : undefined;
        // Its own id may still be this job's, so a stale round is this very round only on a newer basis.
        for (const next of await this.rounds.staleRounds({ roundId: job.data.roundId })) {
          if (next.roundId === job.data.roundId && next.epoch === job.data.epoch) continue;
          await this.jobs.add('round.aggregate', { roundId: next.roundId, epoch: next.epoch });
          // The next round is most often running already, beside this one: then the round after
          // it may go ahead beside it now, not once it ends, and two rounds keep going at a time.
          // (If the next one is not running, that round finds so, keeps nothing and is queued
          // again by it.)
          for (const after of await this.rounds.staleRounds({ after: next.roundId }))
            await this.jobs.add('round.aggregate', { roundId: after.roundId, epoch: after.epoch });
        }
        return notifications === undefined ? outcome : { ...outcome, notifications };
      }
      default: {
        const unknownName: never = job.name;
        throw new Error(`aggregation queue has no handler for job "${String(unknownName)}"`);
      }
    }
  }
}
