import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { affected } from '@trellis/database';
import { conflict, invalid, notFound } from '@trellis/errors';
import type { MembershipRole } from './entities/membership.entity';
import type { OrganisationRoleName } from './entities/organisation-role.entity';

export interface PersonSummary {
  id: string;
  email: string;
  name: string;
  canSignIn: boolean;
}

export interface PersonView extends PersonSummary {
  organisationId: string;
  roles: OrganisationRoleName[];
  memberships: { unitId: string; unitName: string; unitKey: string; role: MembershipRole }[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

@Injectable()
export class PeopleService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(personId: string): Promise<PersonView> {
    const rows: (PersonSummary & { organisationId: string; roles: OrganisationRoleName[] })[] =
      await this.db.query(
        `select p.id, p.organisation_id as "organisationId", p.email, p.name, p.password_hash is not null as "canSignIn",
              coalesce(array(select r.role from organisation_role r where r.person_id = p.id order by r.role), '{}') as roles
         from person p where p.id = $1`,
        [personId],
      );
    if (!rows[0]) throw notFound('person');
    const memberships: PersonView['memberships'] = await this.db.query(
      `select u.id as "unitId", u.name as "unitName", u.key as "unitKey", m.role
         from membership m join unit u on u.id = m.unit_id where m.person_id = $1 order by m.role desc, u.name`,
      [personId],
    );
    return { ...rows[0], memberships };
  }

  async create(
    organisationId: string,
    input: { email: string; name: string },
  ): Promise<PersonView> {
    const email = input.email.trim().toLowerCase();
    const rows: { id: string }[] = await this.db.query(
      `insert into person (organisation_id, email, name) values ($1, $2, $3)
       on conflict (organisation_id, email) do nothing returning id`,
      [organisationId, email, input.name.trim()],
    );
    if (!rows[0]) throw conflict('email', `a person with email "${email}" already exists`);
    return this.get(rows[0].id);
  }

  async rename(personId: string, name: string): Promise<PersonView> {
    const count = await affected(
      this.db,
      `update person set name = $2, updated_at = now() where id = $1`,
      [personId, name.trim()],
    );
    if (!count) throw notFound('person');
    return this.get(personId);
  }

  /** Replaces the person's organisation roles with exactly the given set, atomically. */
  async setRoles(personId: string, roles: OrganisationRoleName[]): Promise<PersonView> {
    await this.db.transaction(async (tx) => {
      const [person]: { organisationId: string }[] = await tx.query(
        `select organisation_id as "organisationId" from person where id = $1`,
        [personId],
      );
      if (!person) throw notFound('person');
      // One role change of an organisation at a time, so two admins removing each other cannot
      // both pass the last-admin check below.
      await tx.query(`select 1 from organisation where id = $1 for no key update`, [person.organisationId]);
      await tx.query(
        `delete from organisation_role where person_id = $1 and role <> all($2::text[])`,
        [personId, roles],
      );
      await tx.query(
        `insert into organisation_role (organisation_id, person_id, role)
         select $1, $2, r from unnest($3::text[]) r on conflict (person_id, role) do nothing`,
        [person.organisationId, personId, roles],
      );
      // An organisation must keep at least one active admin, or nobody could ever grant roles again.
      const [{ admins }]: { admins: number }[] = await tx.query(
        `select count(*)::int as admins from organisation_role r join person p on p.id = r.person_id
          where r.organisation_id = $1 and r.role = 'admin' and p.deactivated_at is null`,
        [person.organisationId],
      );
      if (admins === 0)
        throw invalid({
          field: 'roles',
          message: 'the organisation would be left without an admin',
        });
    });
    return this.get(personId);
  }

  async addMembership(unitId: string, personId: string, role: MembershipRole): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [unit]: { organisationId: string; kind: string }[] = await tx.query(
        `select organisation_id as "organisationId", kind from unit where id = $1`,
        [unitId],
      );
      if (!unit) throw notFound('unit');
      if (unit.kind !== 'team')
        throw invalid({ field: 'unitId', message: 'people belong to teams, not departments' });
      const person = await tx.query<unknown[]>(
        `select 1 from person where id = $1 and organisation_id = $2`,
        [personId, unit.organisationId],
      );
      if (!person.length)
        throw invalid({ field: 'personId', message: 'no such person in this organisation' });
      await tx.query(
        `insert into membership (organisation_id, person_id, unit_id, role) values ($1, $2, $3, $4)
         on conflict (person_id, unit_id) do update set role = excluded.role, updated_at = now()
         where membership.role <> excluded.role`,
        [unit.organisationId, personId, unitId, role],
      );
    });
  }

  async removeMembership(unitId: string, personId: string): Promise<void> {
    const count = await affected(
      this.db,
      `delete from membership where unit_id = $1 and person_id = $2`,
      [unitId, personId],
    );
    if (!count) throw notFound('membership');
  }
}
