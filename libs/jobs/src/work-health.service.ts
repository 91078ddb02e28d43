import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { QUEUES, type QueueName } from './catalogue';
import { JobFailuresService, type JobFailureView } from './job-failures.service';
import { JobQueue } from './job-queue.service';

export interface WorkHealth {
  /** Jobs that failed for good (still open, or resolved in the last day), with their last error. */
  failedJobs: JobFailureView[];
  /** What PostgreSQL says is due and not done yet, oldest first, with how long it has waited. */
  unfinished: {
    invitations: { roundId: string; unsent: number; since: Date }[];
    rounds: { roundId: string; status: 'open' | 'closed'; since: Date }[];
    exports: { exportId: string; status: string; since: Date; error: string | null }[];
    notifications: {
      notificationId: string;
      status: string;
      attempts: number;
      since: Date;
      lastError: string | null;
    }[];
  };
  /** Jobs per queue, install-wide; null while Redis cannot be asked. */
  queues: Record<QueueName, Record<string, number>> | null;
}

/**
 * The state of an organisation's background work for admins: PostgreSQL's truth (what is due and
 * not done) next to the queues' (what is waiting, running, failed). Nothing of answers or tokens
 * is read: work is named by its ids, and errors are kept short and scrubbed when recorded.
 */
@Injectable()
export class WorkHealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly failures: JobFailuresService,
  ) {}

  async overview(organisationId: string): Promise<WorkHealth> {
    const [failedJobs, invitations, rounds, exports, notifications, queues] = await Promise.all([
      this.failures.list(organisationId),
      this.db.query<WorkHealth['unfinished']['invitations']>(
        `select r.id as "roundId", count(*)::int as unsent, r.opens_at as since
           from round r join invitation i on i.round_id = r.id
          where r.organisation_id = $1 and r.status = 'open' and r.closes_at > now() and i.sent_at is null
          group by r.id order by r.opens_at limit 100`,
        [organisationId],
      ),
      this.db.query<WorkHealth['unfinished']['rounds']>(
        `select id as "roundId", status, coalesce(closed_at, closes_at) as since from round
          where organisation_id = $1
            and ((status = 'open' and closes_at <= now()) or (status = 'closed' and aggregated_at is null))
          order by since limit 100`,
        [organisationId],
      ),
      this.db.query<WorkHealth['unfinished']['exports']>(
        `select id as "exportId", status, created_at as since, error from export
          where organisation_id = $1 and status in ('queued', 'running') order by created_at limit 100`,
        [organisationId],
      ),
      this.db.query<WorkHealth['unfinished']['notifications']>(
        `select id as "notificationId", status, attempts, created_at as since, last_error as "lastError"
           from notification where organisation_id = $1 and status in ('pending', 'failed')
          order by created_at limit 100`,
        [organisationId],
      ),
      this.queueCounts(),
    ]);
    return {
      failedJobs,
      unfinished: { invitations, rounds, exports, notifications },
      queues,
    };
  }

  private async queueCounts(): Promise<WorkHealth['queues']> {
    try {
      const entries = await Promise.all(
        Object.values(QUEUES).map(async (name) => [name, await this.jobs.counts(name)] as const),
      );
      return Object.fromEntries(entries) as WorkHealth['queues'];
    } catch {
      return null;
    }
  }
}
