import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trend exports built in the background, the append-only audit log, and the outbox of flag
 * notifications with their delivery state.
 */
export class ExportsAuditNotifications1763940000000 implements MigrationInterface {
  name = 'ExportsAuditNotifications1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table export (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        requested_by uuid references person(id) on delete set null,
        format text not null check (format in ('csv', 'xlsx')),
        filters jsonb not null,
        status text not null default 'queued'
          check (status in ('queued', 'running', 'ready', 'failed', 'expired')),
        total_rows integer,
        rows_written integer not null default 0,
        file_name text,
        bytes bigint,
        error text,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz
      )`);
    await q.query(`create index export_organisation on export (organisation_id, created_at desc)`);
    await q.query(`create index export_expiry on export (expires_at) where status = 'ready'`);

    // No foreign key to person: the entry must outlive the person, and it may never be updated.
    await q.query(`
      create table audit_event (
        id bigint generated always as identity primary key,
        organisation_id uuid not null references organisation(id),
        actor_person_id uuid,
        actor_email text,
        via text not null check (via in ('session', 'api_token', 'system')),
        action text not null,
        target_kind text,
        target_id uuid,
        detail jsonb not null default '{}',
        at timestamptz not null default now()
      )`);
    await q.query(
      `create index audit_event_organisation on audit_event (organisation_id, id desc)`,
    );
    await q.query(`
      create function audit_event_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit events are append-only' using errcode = 'P0001';
      end $$`);
    await q.query(`
      create trigger audit_event_no_update before update or delete on audit_event
        for each row execute function audit_event_append_only()`);
    await q.query(`
      create trigger audit_event_no_truncate before truncate on audit_event
        for each statement execute function audit_event_append_only()`);

    await q.query(`
      create table notification (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        flag_code text not null,
        channel text not null check (channel in ('email', 'webhook')),
        recipient text not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
        attempts integer not null default 0,
        last_error text,
        created_at timestamptz not null default now(),
        last_attempt_at timestamptz,
        sent_at timestamptz,
        -- one message per flag, channel and recipient, however often the round is re-aggregated
        unique (round_id, unit_id, flag_code, channel, recipient)
      )`);
    await q.query(
      `create index notification_organisation on notification (organisation_id, created_at desc)`,
    );
    await q.query(
      `create index notification_pending on notification (created_at) where status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists notification`);
    await q.query(`drop table if exists audit_event`);
    await q.query(`drop function if exists audit_event_append_only cascade`);
    await q.query(`drop table if exists export`);
  }
}
