import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a team decided to try, against which flag or dimension, and by when: a small experiment. */
export class Commitments1763930000000 implements MigrationInterface {
  name = 'Commitments1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table commitment (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        unit_id uuid not null,
        -- the round whose results prompted it: its scores are the baseline later rounds compare with
        round_id uuid references round(id) on delete set null,
        flag_code text,
        dimension text not null check (dimension ~ '^[a-z][a-z0-9_]{0,39}$'),
        action text not null check (length(action) between 1 and 1000),
        owner text not null check (length(owner) between 1 and 200),
        due_on date not null,
        status text not null default 'open' check (status in ('open', 'done', 'dropped')),
        created_by uuid references person(id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        foreign key (organisation_id, unit_id) references unit (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index commitment_unit on commitment (unit_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists commitment`);
  }
}
