import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that failed for good, as the reconciler found them in the queues: kept in PostgreSQL so a
 * failure stays visible to admins (with its error) after the job is removed and its work queued
 * again, and until the work is done.
 */
export class JobFailures1764400000000 implements MigrationInterface {
  name = 'JobFailures1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table job_failure (
        job_id text primary key,
        queue text not null,
        name text not null,
        attempts integer not null,
        error text not null,
        -- Whose work it was, when the job's payload names a round, export or notification.
        organisation_id uuid references organisation(id) on delete cascade,
        failures integer not null default 1,
        first_failed_at timestamptz not null,
        last_failed_at timestamptz not null,
        resolved_at timestamptz
      )`);
    await q.query(
      `create index job_failure_organisation on job_failure (organisation_id, last_failed_at desc)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table job_failure`);
  }
}
