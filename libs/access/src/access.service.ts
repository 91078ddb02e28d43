import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ResourceKind } from './policy';

const OWNER_SQL: Record<ResourceKind, string> = {
  organisation: `select id as "organisationId" from organisation where id = $1`,
  unit: `select organisation_id as "organisationId" from unit where id = $1`,
  person: `select organisation_id as "organisationId" from person where id = $1`,
  api_token: `select organisation_id as "organisationId" from api_token where id = $1`,
};

// The units a leader leads, and everything below them.
const LED_SUBTREE = `with recursive led as (
    select m.unit_id as id from membership m where m.person_id = $1 and m.role = 'leader'
    union
    select u.id from unit u join led on u.parent_id = led.id
  )`;

const LEADS_SQL: Record<ResourceKind, string | null> = {
  organisation: `select 1 from membership m join unit u on u.id = m.unit_id
                  where m.person_id = $1 and m.role = 'leader' and u.organisation_id = $2 limit 1`,
  unit: `${LED_SUBTREE} select 1 from led where id = $2 limit 1`,
  person: `${LED_SUBTREE} select 1 from membership m join led on led.id = m.unit_id where m.person_id = $2 limit 1`,
  api_token: null,
};

/** The database lookups the policy needs: who owns a resource, and who leads above it. */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ownerOf(kind: ResourceKind, id: string): Promise<string | null> {
    const rows: { organisationId: string }[] = await this.db.query(OWNER_SQL[kind], [id]);
    return rows[0]?.organisationId ?? null;
  }

  async leads(personId: string, kind: ResourceKind, id: string): Promise<boolean> {
    const sql = LEADS_SQL[kind];
    if (!sql) return false;
    const rows: unknown[] = await this.db.query(sql, [personId, id]);
    return rows.length > 0;
  }
}
