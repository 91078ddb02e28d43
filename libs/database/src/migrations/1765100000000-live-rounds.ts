import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live rounds: "close now" and "send a reminder now" from the console. Both are written to
 * PostgreSQL first and carried out by the worker, so the reconciler can finish whatever a lost job
 * left undone. A close request moves `closes_at` to the moment of the request (the scheduled close
 * then does the rest) and records when it was asked for. A reminder request is a row that stays
 * unsent until the worker has gone through everyone who had not answered; `invitation.reminded_at`
 * says when each person was last reminded, so a retried job or a second request soon after does not
 * mail anyone twice. How many a reminder reached is not stored: it is the exact number who had
 * not answered at that moment, which live counts (in steps of k) must not give away.
 */
export class LiveRounds1765100000000 implements MigrationInterface {
  name = 'LiveRounds1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table round add column close_requested_at timestamptz`);
    await q.query(`alter table invitation add column reminded_at timestamptz`);
    await q.query(`
      create table round_reminder (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null,
        requested_by uuid,
        requested_at timestamptz not null default now(),
        sent_at timestamptz,
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index round_reminder_round on round_reminder (round_id, requested_at)`);
    await q.query(
      `create index round_reminder_unsent on round_reminder (requested_at) where sent_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists round_reminder`);
    await q.query(`alter table invitation drop column if exists reminded_at`);
    await q.query(`alter table round drop column if exists close_requested_at`);
  }
}
