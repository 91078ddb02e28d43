import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { conflict, notFound } from '@trellis/errors';

export interface OrganisationView {
  id: string;
  slug: string;
  name: string;
  unitCount: number;
  personCount: number;
  createdAt: Date;
}

@Injectable()
export class OrganisationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates the organisation with its root unit; the root is what rollups hang from. */
  async create(
    input: { slug: string; name: string },
    tx?: EntityManager,
  ): Promise<OrganisationView> {
    const run = async (m: EntityManager) => {
      const taken = await m.query<unknown[]>(`select 1 from organisation where slug = $1`, [
        input.slug,
      ]);
      if (taken.length)
        throw conflict('slug', `an organisation with slug "${input.slug}" already exists`);
      const [org]: { id: string }[] = await m.query(
        `insert into organisation (slug, name) values ($1, $2) returning id`,
        [input.slug, input.name],
      );
      await m.query(
        `insert into unit (organisation_id, parent_id, kind, key, name) values ($1, null, 'organisation', 'org', $2)`,
        [org.id, input.name],
      );
      return org.id;
    };
    const id = tx ? await run(tx) : await this.db.transaction(run);
    return this.get(id, tx);
  }

  async get(id: string, tx?: EntityManager): Promise<OrganisationView> {
    const rows: OrganisationView[] = await (tx ?? this.db).query(
      `select o.id, o.slug, o.name, o.created_at as "createdAt",
              (select count(*) from unit u where u.organisation_id = o.id)::int as "unitCount",
              (select count(*) from person p where p.organisation_id = o.id)::int as "personCount"
         from organisation o where o.id = $1`,
      [id],
    );
    if (!rows[0]) throw notFound('organisation');
    return rows[0];
  }

  async findBySlug(slug: string): Promise<{ id: string } | null> {
    const rows: { id: string }[] = await this.db.query(
      `select id from organisation where slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async rename(id: string, name: string): Promise<OrganisationView> {
    await this.db.transaction(async (m) => {
      await m.query(`update organisation set name = $2, updated_at = now() where id = $1`, [
        id,
        name,
      ]);
      await m.query(
        `update unit set name = $2, updated_at = now() where organisation_id = $1 and parent_id is null`,
        [id, name],
      );
    });
    return this.get(id);
  }

  async settings(id: string): Promise<Record<string, unknown>> {
    const [row] = await this.db.query<{ settings: Record<string, unknown> }[]>(
      `select settings from organisation where id = $1`,
      [id],
    );
    if (!row) throw notFound('organisation');
    return row.settings;
  }

  /** Stores settings the caller has already validated; they take effect from the next aggregation. */
  async saveSettings(id: string, settings: Record<string, unknown>): Promise<void> {
    await this.db.query(`update organisation set settings = $2, updated_at = now() where id = $1`, [
      id,
      JSON.stringify(settings),
    ]);
  }
}
