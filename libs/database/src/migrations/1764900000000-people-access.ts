import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and access: a person can be deactivated (cannot sign in, is not invited to new rounds,
 * keeps their past answers), and sign-in links — an invitation to set a first password, or a
 * password reset — are single-use and expire. A link's token is made when its email is sent and
 * only its SHA-256 is stored, so neither the database nor a backup holds a working link.
 */
export class PeopleAccess1764900000000 implements MigrationInterface {
  name = 'PeopleAccess1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table person add column deactivated_at timestamptz`);
    await q.query(`
      create table sign_in_link (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation(id) on delete cascade,
        person_id uuid not null,
        purpose text not null check (purpose in ('invite', 'reset')),
        token_hash text unique,
        requested_by uuid,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        sent_at timestamptz,
        used_at timestamptz,
        check ((sent_at is null) = (token_hash is null)),
        foreign key (organisation_id, person_id) references person (organisation_id, id) on delete cascade
      )`);
    await q.query(`create index sign_in_link_person on sign_in_link (person_id)`);
    await q.query(
      `create index sign_in_link_unsent on sign_in_link (expires_at) where sent_at is null and used_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists sign_in_link`);
    await q.query(`alter table person drop column if exists deactivated_at`);
  }
}
