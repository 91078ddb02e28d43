import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobQueue, QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { InvitationsService, ResponseMixer, RoundsService } from '@trellis/surveys';

/** Invitation jobs a round opens with: enough for every worker's concurrency to take some. */
const INVITE_BATCHES = 8;

/**
 * The survey lifecycle. The tick compares the clock with PostgreSQL and queues what is due;
 * the other jobs do one idempotent step each. Job ids deduplicate, the database's unique keys
 * and conditional updates make repeats harmless, and a worker that was away catches up on its
 * first tick.
 */
@Processor(QUEUES.surveys, workerOptions(4))
export class SurveysProcessor extends WorkerHost {
  private readonly logger = new Logger(SurveysProcessor.name);

  constructor(
    private readonly rounds: RoundsService,
    private readonly invitations: InvitationsService,
    private readonly mixer: ResponseMixer,
    private readonly jobs: JobQueue,
  ) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.surveys>;
    switch (job.name) {
      case 'rounds.tick':
        return this.tick();
      case 'round.open': {
        const roundId = await this.rounds.open(job.data.campaignId, job.data.opensAt);
        // Split by team, so any number of workers share the sending; each team in one batch.
        if (roundId)
          for (let batch = 0; batch < INVITE_BATCHES; batch++)
            await this.jobs.add('round.invite', { roundId, batch, batches: INVITE_BATCHES });
        return { roundId };
      }
      case 'round.invite': {
        const { roundId, batch, batches } = job.data;
        const only = batches === undefined ? undefined : { batch: batch ?? 0, batches };
        return { sent: await this.invitations.invite(roundId, only) };
      }
      // A reminder's count is how many had not answered at that moment: it is not kept in the
      // job's result in Redis (the live counts move in steps of k).
      case 'round.remind':
        await this.invitations.remind(job.data.roundId, job.data.index);
        return {};
      case 'round.remind-now':
        await this.invitations.remindNow(job.data.reminderId);
        return {};
      case 'round.close': {
        const closed = await this.rounds.close(job.data.roundId);
        // Queued whether or not this attempt closed it: a retry after a crash must still hand it on.
        // Its organisation's oldest stale round goes first (usually this one); each hands on.
        for (const next of await this.rounds.staleRounds({ roundId: job.data.roundId }))
          await this.jobs.add('round.aggregate', { roundId: next.roundId, epoch: next.epoch });
        if (closed) this.logger.log({ roundId: job.data.roundId }, 'round closed');
        return { closed };
      }
      case 'round.mix':
        return { moved: await this.mixer.mix(job.data.roundId) };
      default: {
        const unknownName: never = job;
        throw new Error(`surveys queue has no handler for ${JSON.stringify(unknownName)}`);
      }
    }
  }

  private async tick(): Promise<Record<string, number>> {
    const due = await this.rounds.dueWork(new Date());
    await Promise.all([
      ...due.open.map((o) => this.jobs.add('round.open', o)),
      ...due.invite.map((roundId) => this.jobs.add('round.invite', { roundId })),
      ...due.remind.map((r) => this.jobs.add('round.remind', r)),
      ...due.remindNow.map((reminderId) => this.jobs.add('round.remind-now', { reminderId })),
      ...due.close.map((roundId) => this.jobs.add('round.close', { roundId })),
      ...due.aggregate.map((r) =>
        this.jobs.add('round.aggregate', { roundId: r.roundId, epoch: r.epoch }),
      ),
      ...due.mix.map((roundId) => this.jobs.add('round.mix', { roundId })),
    ]);
    return Object.fromEntries(Object.entries(due).map(([k, v]) => [k, (v as unknown[]).length]));
  }
}
