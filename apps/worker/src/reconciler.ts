import { Injectable, Logger } from '@nestjs/common';
import { ExportJobsService } from '@trellis/exports';
import { SignInLinksService } from '@trellis/identity';
import {
  JobFailuresService,
  JobQueue,
  type JobData,
  type JobName,
  type RedriveOutcome,
} from '@trellis/jobs';
import { NotificationsService } from '@trellis/notifications';
import { RoundsService } from '@trellis/surveys';

/**
 * Compares PostgreSQL's truth with the queues and queues again whatever is due and not done —
 * rounds to open, invitations unsent in an open round, reminders (scheduled and asked for), rounds
 * to close (on schedule or asked to close now), closed rounds
 * not aggregated, unfinished exports, undelivered notifications — whatever Redis remembers of an
 * earlier job with the same id. Failed jobs are written down first, so their errors outlive their
 * removal. Runs with the sweep, every SCHEDULER_TICK_MS; every job it queues is idempotent.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly failures: JobFailuresService,
    private readonly rounds: RoundsService,
    private readonly exports: ExportJobsService,
    private readonly notifications: NotificationsService,
    private readonly signInLinks: SignInLinksService,
  ) {}

  async reconcile(): Promise<Record<string, number>> {
    const failed = await this.failures.record();
    const due = await this.rounds.dueWork(new Date());
    const outcomes = await Promise.all([
      ...due.open.map((o) => this.redrive('round.open', o)),
      ...due.invite.map((roundId) => this.redrive('round.invite', { roundId })),
      ...due.remind.map((r) => this.redrive('round.remind', r)),
      ...due.remindNow.map((reminderId) => this.redrive('round.remind-now', { reminderId })),
      ...due.close.map((roundId) => this.redrive('round.close', { roundId })),
      ...due.aggregate.map((r) =>
        this.redrive('round.aggregate', { roundId: r.roundId, epoch: r.epoch }),
      ),
      ...due.mix.map((roundId) => this.redrive('round.mix', { roundId })),
      ...(await this.signInLinks.unsent()).map((linkId) =>
        this.redrive('sign-in-link.send', { linkId }),
      ),
    ]);
    const exports = await this.exports.sweep();
    const notifications = await this.notifications.sweep();
    const resolved = await this.failures.resolve();
    return {
      failed,
      resolved,
      surveys: outcomes.filter((o) => o === 'queued').length,
      exports: exports.requeued,
      expiredExports: exports.expired,
      orphanFiles: exports.orphans,
      notifications,
    };
  }

  /** One piece of work; Redis failing for one does not stop the others from being looked at. */
  private async redrive<N extends JobName>(name: N, data: JobData<N>): Promise<RedriveOutcome> {
    try {
      return await this.jobs.redrive(name, data);
    } catch (error) {
      this.logger.warn({ err: error, job: name, data }, 'could not queue due work; next sweep');
      return 'present';
    }
  }
}
