import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QUEUES, type JobName } from './catalogue';
import { JobQueue } from './job-queue.service';

export interface JobFailureView {
  jobId: string;
  queue: string;
  name: string;
  attempts: number;
  failures: number;
  error: string;
  firstFailedAt: Date;
  lastFailedAt: Date;
  resolvedAt: Date | null;
}

/** Which organisation a job's work belongs to, from its payload's one id. */
const ORGANISATION_OF: Partial<Record<JobName, string>> = {
  'round.open': 'select organisation_id as id from campaign where id = $1',
  'round.invite': 'select organisation_id as id from round where id = $1',
  'round.remind': 'select organisation_id as id from round where id = $1',
  'round.remind-now': 'select organisation_id as id from round_reminder where id = $1',
  'round.close': 'select organisation_id as id from round where id = $1',
  'round.aggregate': 'select organisation_id as id from round where id = $1',
  'export.build': 'select organisation_id as id from export where id = $1',
  'notification.deliver': 'select organisation_id as id from notification where id = $1',
};

/**
 * What of a job's error may be kept and shown: its first line, without addresses, links, tokens or
 * anything after a colon-separated payload dump, cut short. Errors come from our own code and its
 * drivers, but an SMTP server or a webhook may echo what it was given.
 */
export function safeJobError(reason: string | undefined): string {
  const firstLine = (reason ?? 'failed without a reason').split('\n')[0];
  return firstLine
    .replace(/[^\s@<>"']+@[^\s@<>"']+/g, '[address]')
    .replace(/\b[a-z]+:\/\/\S+/gi, '[link]')
    .replace(/\b(p|s|trl_t|trl)_[A-Za-z0-9_-]{16,}/g, '[token]')
    .slice(0, 300);
}

/**
 * Jobs that failed for good, written down in PostgreSQL before the reconciler removes them from
 * Redis to queue their work again, so an admin sees what keeps failing and why, and an alert can
 * match the error line logged the first time each failure is seen.
 */
@Injectable()
export class JobFailuresService {
  private readonly logger = new Logger(JobFailuresService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  /** Records every failed job of every queue; returns how many failures were new. */
  async record(): Promise<number> {
    let fresh = 0;
    for (const queue of Object.values(QUEUES)) {
      for (const job of await this.jobs.failed(queue)) {
        // A scheduler's run (the tick, the sweep) is repeated anyway; only the work it queues counts.
        if (!job.id || job.repeatJobKey) continue;
        if (await this.recordOne(queue, job)) fresh++;
      }
    }
    return fresh;
  }

  private async recordOne(queue: string, job: Job): Promise<boolean> {
    const failedAt = new Date(job.finishedOn ?? Date.now());
    const error = safeJobError(job.failedReason);
    const rows = await this.db.query<{ failures: number }[]>(
      `insert into job_failure (job_id, queue, name, attempts, error, organisation_id, first_failed_at, last_failed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $7)
       on conflict (job_id) do update set attempts = excluded.attempts, error = excluded.error,
              failures = job_failure.failures + 1, last_failed_at = excluded.last_failed_at, resolved_at = null
        where job_failure.last_failed_at < excluded.last_failed_at
       returning failures`,
      [job.id, queue, job.name, job.attemptsMade, error, await this.organisationOf(job), failedAt],
    );
    if (!rows.length) return false;
    this.logger.error(
      {
        event: 'job.failed',
        queue,
        job: job.name,
        jobId: job.id,
        attempts: job.attemptsMade,
        failures: rows[0].failures,
        error,
      },
      'a job failed for good; its work is queued again while it is due',
    );
    return true;
  }

  private async organisationOf(job: Job): Promise<string | null> {
    const sql = ORGANISATION_OF[job.name as JobName];
    const id = Object.values((job.data ?? {}) as Record<string, unknown>)[0];
    if (!sql || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row] = await this.db.query<{ id: string }[]>(sql, [id]);
    return row?.id ?? null;
  }

  /** Marks as resolved the failures whose job has since completed (or left Redis, its work done). */
  async resolve(): Promise<number> {
    const open = await this.db.query<{ jobId: string; queue: string }[]>(
      `select job_id as "jobId", queue from job_failure where resolved_at is null`,
    );
    let resolved = 0;
    for (const f of open) {
      const state = await this.jobs.stateOf(f.queue, f.jobId);
      if (state !== 'completed' && state !== 'gone') continue;
      await this.db.query(`update job_failure set resolved_at = now() where job_id = $1`, [
        f.jobId,
      ]);
      resolved++;
    }
    return resolved;
  }

  /** Failures still open, and those resolved in the last day, newest first. */
  async list(organisationId: string, limit = 100): Promise<JobFailureView[]> {
    return this.db.query<JobFailureView[]>(
      `select job_id as "jobId", queue, name, attempts, failures, error, first_failed_at as "firstFailedAt",
              last_failed_at as "lastFailedAt", resolved_at as "resolvedAt"
         from job_failure
        where organisation_id = $1 and (resolved_at is null or resolved_at > now() - interval '1 day')
        order by resolved_at is null desc, last_failed_at desc limit $2`,
      [organisationId, limit],
    );
  }
}
