import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations, their unit tree, people, memberships, roles and API tokens.
 * Composite foreign keys carry organisation_id so the database itself refuses any row that
 * links two organisations.
 */
export class OrganisationModel1763900000000 implements MigrationInterface {
  name = 'OrganisationModel1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table organisation (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name text not null check (length(name) between 1 and 200),
        settings jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`
      create table unit (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        parent_id uuid,
        kind text not null check (kind in ('organisation', 'department', 'team')),
        -- Imported department keys are their whole path, up to ten segments of 200 characters.
        key text not null check (length(key) between 1 and 2100),
        name text not null check (length(name) between 1 and 200),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (organisation_id, id),
        unique (organisation_id, key),
        check ((kind = 'organisation') = (parent_id is null)),
        foreign key (organisation_id, parent_id) references unit (organisation_id, id) on delete restrict
      )`);
    await q.query(
      `create unique index unit_one_root on unit (organisation_id) where parent_id is null`,
    );
    await q.query(`create index unit_parent on unit (parent_id)`);
    await q.query(`
      create table person (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        email text not null check (email = lower(email) and length(email) between 3 and 254),
        name text not null check (length(name) between 1 and 200),
        password_hash text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (organisation_id, id),
        unique (organisation_id, email)
      )`);
    await q.query(`create index person_email on person (email)`);
    await q.query(`
      create table membership (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        person_id uuid not null,
        unit_id uuid not null,
        role text not null check (role in ('member', 'leader')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (person_id, unit_id),
        foreign key (organisation_id, person_id) references person (organisation_id, id) on delete cascade,
        foreign key (organisation_id, unit_id) references unit (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index membership_unit on membership (unit_id, role)`);
    await q.query(`
      create table organisation_role (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        person_id uuid not null,
        role text not null check (role in ('hr', 'admin')),
        created_at timestamptz not null default now(),
        unique (person_id, role),
        foreign key (organisation_id, person_id) references person (organisation_id, id) on delete cascade
      )`);
    await q.query(`
      create table api_token (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        person_id uuid not null,
        name text not null check (length(name) between 1 and 100),
        token_hash text not null unique,
        token_hint text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        foreign key (organisation_id, person_id) references person (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index api_token_org on api_token (organisation_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'api_token',
      'organisation_role',
      'membership',
      'person',
      'unit',
      'organisation',
    ]) {
      await q.query(`drop table if exists ${table}`);
    }
  }
}
