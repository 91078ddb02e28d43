import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { mayActOnPerson } from '@trellis/access';
import { notFound } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import type { MembershipRole, OrganisationRoleName } from '@trellis/organisation';

export const PEOPLE_ROLE_FILTERS = ['admin', 'hr', 'leader', 'member'] as const;
export type PeopleRoleFilter = (typeof PEOPLE_ROLE_FILTERS)[number];
export const PEOPLE_STATUS_FILTERS = ['all', 'active', 'inactive'] as const;
export type PeopleStatusFilter = (typeof PEOPLE_STATUS_FILTERS)[number];

export interface PeopleFilters {
  search?: string;
  /** A team: its members and leaders. */
  unitId?: string;
  role?: PeopleRoleFilter;
  status?: PeopleStatusFilter;
  limit: number;
  offset: number;
}

export interface PersonTeam {
  unitId: string;
  unitName: string;
  unitKey: string;
  role: MembershipRole;
}

export interface PersonListItem {
  id: string;
  email: string;
  name: string;
  /** Has a password, so could sign in if active. */
  canSignIn: boolean;
  active: boolean;
  roles: OrganisationRoleName[];
  teams: PersonTeam[];
}

export interface PeopleListView {
  items: PersonListItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface TeamOption {
  id: string;
  name: string;
}

export interface PersonDetailView extends PersonListItem {
  organisationId: string;
  deactivatedAt: Date | null;
  /** The newest sign-in link still working or waiting to be sent, if any. */
  pendingLink: { purpose: 'invite' | 'reset'; expiresAt: Date; sent: boolean } | null;
  /** What the viewer may do to this person, by the people policy. */
  allowed: { grantRoles: boolean; lead: boolean; deactivate: boolean; invite: boolean };
}

const ITEM = `select p.id, p.email, p.name, p.password_hash is not null as "canSignIn",
    p.deactivated_at is null as active,
    coalesce(array(select r.role from organisation_role r where r.person_id = p.id order by r.role), '{}') as roles,
    coalesce((select json_agg(json_build_object('unitId', u.id, 'unitName', u.name, 'unitKey', u.key, 'role', m.role)
                              order by m.role = 'leader' desc, u.name)
                from membership m join unit u on u.id = m.unit_id where m.person_id = p.id), '[]') as teams
  from person p`;

/** Listing, searching and looking at people: HR's and admins' directory of the organisation. */
@Injectable()
export class PeopleDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(organisationId: string, filters: PeopleFilters): Promise<PeopleListView> {
    const pattern = filters.search?.trim()
      ? `%${filters.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      : null;
    const where = `p.organisation_id = $1
      and ($2::text is null or p.name ilike $2 or p.email ilike $2)
      and ($3::uuid is null or exists (select 1 from membership m where m.person_id = p.id and m.unit_id = $3))
      and (case $4::text
             when 'admin' then exists (select 1 from organisation_role r where r.person_id = p.id and r.role = 'admin')
             when 'hr' then exists (select 1 from organisation_role r where r.person_id = p.id and r.role = 'hr')
             when 'leader' then exists (select 1 from membership m where m.person_id = p.id and m.role = 'leader')
             when 'member' then exists (select 1 from membership m where m.person_id = p.id and m.role = 'member')
             else true end)
      and (case $5::text when 'active' then p.deactivated_at is null
                         when 'inactive' then p.deactivated_at is not null else true end)`;
    const params = [
      organisationId,
      pattern,
      filters.unitId ?? null,
      filters.role ?? null,
      filters.status ?? 'all',
    ];
    const [items, [{ total }]] = await Promise.all([
      this.db.query<PersonListItem[]>(
        `${ITEM} where ${where} order by p.name, p.id limit $6 offset $7`,
        [...params, filters.limit, filters.offset],
      ),
      this.db.query<{ total: number }[]>(
        `select count(*)::int as total from person p where ${where}`,
        params,
      ),
    ]);
    return { items, total, limit: filters.limit, offset: filters.offset };
  }

  /** One person of the organisation; another organisation's person is not found. */
  async detail(
    organisationId: string,
    personId: string,
    viewer: Principal,
  ): Promise<PersonDetailView> {
    const rows: (PersonListItem & { organisationId: string; deactivatedAt: Date | null })[] =
      await this.db.query(
        `select x.*, p.organisation_id as "organisationId", p.deactivated_at as "deactivatedAt"
           from (${ITEM} where p.id = $1 and p.organisation_id = $2) x join person p on p.id = x.id`,
        [personId, organisationId],
      );
    const person = rows[0];
    if (!person) throw notFound('person');
    const [link]: { purpose: 'invite' | 'reset'; expiresAt: Date; sent: boolean }[] =
      await this.db.query(
        `select purpose, expires_at as "expiresAt", sent_at is not null as sent from sign_in_link
          where person_id = $1 and used_at is null and expires_at > now() order by created_at desc limit 1`,
        [personId],
      );
    return {
      ...person,
      pendingLink: link ?? null,
      allowed: {
        grantRoles: mayActOnPerson(viewer.roles, 'grant_role', person.roles),
        lead: mayActOnPerson(viewer.roles, 'lead', person.roles),
        deactivate: mayActOnPerson(viewer.roles, 'deactivate', person.roles),
        invite: mayActOnPerson(viewer.roles, 'invite', person.roles),
      },
    };
  }

  /** The organisation's teams, for filters and "make leader of". */
  async teams(organisationId: string): Promise<TeamOption[]> {
    return this.db.query(
      `select id, name from unit where organisation_id = $1 and kind = 'team' order by name, id`,
      [organisationId],
    );
  }
}
