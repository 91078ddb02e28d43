import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Instruments, campaigns, rounds, invitations and answers.
 *
 * Anonymity shapes this schema (domain model section 4): `invitation` knows who was asked and
 * whether they answered; `response`, `answer` and `comment` know what was answered, for which
 * team and round, and the day the batch was stored — and nothing links the two. Answers first rest in
 * `response_pool` and move to `response` in shuffled batches, so neither row order nor
 * transaction ids pair an answer with an invitation.
 */
export class Surveys1763910000000 implements MigrationInterface {
  name = 'Surveys1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table instrument (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid references organisation(id) on delete cascade,
        key text not null check (key ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name text not null,
        created_at timestamptz not null default now()
      )`);
    // Built-in instruments have no organisation; keys are unique per owner.
    await q.query(`create unique index instrument_owner_key on instrument
      (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), key)`);
    await q.query(`
      create table instrument_version (
        id uuid primary key default gen_random_uuid(),
        instrument_id uuid not null references instrument(id) on delete cascade,
        version int not null check (version >= 1),
        definition jsonb not null,
        scale_min int not null,
        scale_max int not null check (scale_max > scale_min),
        used_at timestamptz,
        created_at timestamptz not null default now(),
        unique (instrument_id, version)
      )`);
    await q.query(`
      create function instrument_version_immutable() returns trigger language plpgsql as $$
      begin
        if old.used_at is not null and (tg_op = 'DELETE' or new.definition is distinct from old.definition
            or new.scale_min <> old.scale_min or new.scale_max <> old.scale_max) then
          raise exception 'instrument version % has been used in a round and cannot change', old.id
            using errcode = 'P0001';
        end if;
        return coalesce(new, old);
      end $$`);
    await q.query(`create trigger instrument_version_immutable before update or delete on instrument_version
      for each row execute function instrument_version_immutable()`);
    await q.query(`
      create table instrument_item (
        instrument_version_id uuid not null references instrument_version(id) on delete cascade,
        key text not null,
        dimension text not null,
        reverse_keyed boolean not null,
        position int not null,
        primary key (instrument_version_id, key)
      )`);

    await q.query(`
      create table campaign (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        name text not null check (length(name) between 1 and 200),
        instrument_id uuid not null references instrument(id),
        form text not null check (form in ('short', 'full')),
        cadence text not null check (cadence in ('weekly', 'biweekly', 'monthly', 'quarterly', 'cron')),
        cron text,
        timezone text not null,
        open_days numeric not null check (open_days > 0 and open_days <= 90),
        reminder_days numeric[] not null default '{}',
        leader_self_view boolean not null default true,
        starts_on date not null,
        active boolean not null default true,
        created_by uuid references person(id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (organisation_id, id),
        check ((cadence = 'cron') = (cron is not null))
      )`);
    await q.query(`
      create table campaign_team (
        organisation_id uuid not null,
        campaign_id uuid not null,
        unit_id uuid not null,
        primary key (campaign_id, unit_id),
        foreign key (organisation_id, campaign_id) references campaign (organisation_id, id) on delete cascade,
        foreign key (organisation_id, unit_id) references unit (organisation_id, id) on delete cascade
      )`);

    await q.query(`
      create table round (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        campaign_id uuid,
        instrument_version_id uuid not null references instrument_version(id),
        form text not null check (form in ('short', 'full', 'imported')),
        sequence int not null default 0,
        period_start date not null,
        period_end date not null,
        opens_at timestamptz not null,
        closes_at timestamptz not null,
        item_keys text[] not null,
        self_item_keys text[] not null default '{}',
        status text not null default 'open' check (status in ('open', 'closed')),
        reminders_sent int not null default 0,
        closed_at timestamptz,
        aggregated_at timestamptz,
        source text not null check (source in ('schedule', 'import')),
        created_at timestamptz not null default now(),
        unique (organisation_id, id),
        -- Exactly one round per campaign and opening, however many workers try. (Not the period's
        -- date: a cadence faster than daily has several openings a day.)
        unique (campaign_id, opens_at),
        foreign key (organisation_id, campaign_id) references campaign (organisation_id, id) on delete cascade,
        check (closes_at > opens_at)
      )`);
    await q.query(`create index round_open on round (status, closes_at) where status = 'open'`);
    await q.query(`
      create table round_team (
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        invited int not null default 0,
        primary key (round_id, unit_id),
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade,
        foreign key (organisation_id, unit_id) references unit (organisation_id, id) on delete cascade
      )`);

    await q.query(`
      create table invitation (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        person_id uuid not null references person(id) on delete cascade,
        kind text not null check (kind in ('member', 'leader_self')),
        sent_at timestamptz,
        reminders_sent int not null default 0,
        -- Whether, never when: a time would line up with an answer's arrival.
        answered boolean not null default false,
        unique (round_id, unit_id, person_id, kind),
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index invitation_unsent on invitation (round_id) where sent_at is null`);
    await q.query(`
      create table invitation_token (
        token_hash text primary key,
        invitation_id uuid not null references invitation(id) on delete cascade,
        created_at timestamptz not null default now()
      )`);

    await q.query(`
      create table response_pool (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        answers jsonb not null,
        comment text,
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index response_pool_round on response_pool (round_id)`);
    await q.query(`
      create table response (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        kind text not null check (kind in ('member', 'leader_self')),
        source text not null check (source in ('survey', 'import')),
        submitted_on date not null,
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade,
        foreign key (organisation_id, unit_id) references unit (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index response_round_unit on response (round_id, unit_id, kind)`);
    await q.query(`
      create table answer (
        response_id uuid not null references response(id) on delete cascade,
        item_key text not null,
        value smallint not null,
        primary key (response_id, item_key)
      )`);
    await q.query(`
      create table comment (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        body text not null check (length(body) between 1 and 2000),
        submitted_on date not null,
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index comment_round_unit on comment (round_id, unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'comment',
      'answer',
      'response',
      'response_pool',
      'invitation_token',
      'invitation',
      'round_team',
      'round',
      'campaign_team',
      'campaign',
      'instrument_item',
      'instrument_version',
      'instrument',
    ]) {
      await q.query(`drop table if exists ${table}`);
    }
    await q.query(`drop function if exists instrument_version_immutable`);
  }
}
