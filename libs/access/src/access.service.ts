import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ResourceKind } from './policy';

// $1 is the resource id, $2 the caller's organisation (built-in instruments belong to everyone).
const OWNER_SQL: Record<ResourceKind, string> = {
  organisation: `select id as "organisationId" from organisation where id = $1 and $2::uuid is not null`,
  unit: `select organisation_id as "organisationId" from unit where id = $1 and $2::uuid is not null`,
  person: `select organisation_id as "organisationId" from person where id = $1 and $2::uuid is not null`,
  api_token: `select organisation_id as "organisationId" from api_token where id = $1 and $2::uuid is not null`,
  campaign: `select organisation_id as "organisationId" from campaign where id = $1 and $2::uuid is not null`,
  round: `select organisation_id as "organisationId" from round where id = $1 and $2::uuid is not null`,
  instrument: `select coalesce(organisation_id, $2::uuid) as "organisationId" from instrument where id = $1`,
  commitment: `select organisation_id as "organisationId" from commitment where id = $1 and $2::uuid is not null`,
  export: `select organisation_id as "organisationId" from export where id = $1 and $2::uuid is not null`,
};

// The units a leader leads, and everything below them.
const LED_SUBTREE = `with recursive led as (
    select m.unit_id as id from membership m where m.person_id = $1 and m.role = 'leader'
    union
    select u.id from unit u join led on u.parent_id = led.id
  )`;

const LEADS_ANY_TEAM = `select 1 from membership m join unit u on u.id = m.unit_id
  where m.person_id = $1 and m.role = 'leader' and u.organisation_id = $3 and $2::uuid is not null limit 1`;

// $1 person, $2 resource id, $3 the resource's organisation.
const LEADS_SQL: Record<ResourceKind, string | null> = {
  organisation: LEADS_ANY_TEAM,
  instrument: LEADS_ANY_TEAM,
  unit: `${LED_SUBTREE} select 1 from led where id = $2 and $3::uuid is not null limit 1`,
  person: `${LED_SUBTREE} select 1 from membership m join led on led.id = m.unit_id
             where m.person_id = $2 and $3::uuid is not null limit 1`,
  // A leader manages a campaign or round only when every team in it is theirs.
  campaign: `${LED_SUBTREE} select 1 from campaign c where c.id = $2 and $3::uuid is not null
               and not exists (select 1 from campaign_team t where t.campaign_id = c.id and t.unit_id not in (select id from led))`,
  round: `${LED_SUBTREE} select 1 from round r where r.id = $2 and $3::uuid is not null
            and exists (select 1 from round_team t where t.round_id = r.id)
            and not exists (select 1 from round_team t where t.round_id = r.id and t.unit_id not in (select id from led))`,
  commitment: `${LED_SUBTREE} select 1 from commitment c join led on led.id = c.unit_id
                 where c.id = $2 and $3::uuid is not null limit 1`,
  api_token: null,
  export: null,
};

/** The database lookups the policy needs: who owns a resource, and who leads above it. */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ownerOf(
    kind: ResourceKind,
    id: string,
    callerOrganisationId: string,
  ): Promise<string | null> {
    const rows = await this.db.query<{ organisationId: string }[]>(OWNER_SQL[kind], [
      id,
      callerOrganisationId,
    ]);
    return rows[0]?.organisationId ?? null;
  }

  async leads(
    personId: string,
    kind: ResourceKind,
    id: string,
    organisationId: string,
  ): Promise<boolean> {
    const sql = LEADS_SQL[kind];
    if (!sql) return false;
    const rows = await this.db.query<unknown[]>(sql, [personId, id, organisationId]);
    return rows.length > 0;
  }
}
