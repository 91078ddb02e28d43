import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { affected } from '@trellis/database';
import { parseRosterCsv, type RosterProblem, type RosterRow } from './roster-csv';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed?: number;
}

export interface RosterImportSummary {
  rows: number;
  dryRun: boolean;
  departments: ImportCounts;
  teams: ImportCounts;
  people: ImportCounts;
  memberships: ImportCounts & { removed: number };
}

/** Department units made by an import are keyed by their path, so re-imports find them again. */
export function departmentKey(path: string[]): string {
  return `dept:${path.map((s) => s.toLowerCase()).join('/')}`;
}

export function rosterRejected(problems: RosterProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `the file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported`,
    problems,
  });
}

type Upserted = { inserted: boolean }[];

function counts(total: number, changed: Upserted): ImportCounts {
  const created = changed.filter((r) => r.inserted).length;
  return { created, updated: changed.length - created, unchanged: total - changed.length };
}

/**
 * Applies an HR export as the roster of the teams it names: people and teams are upserted by
 * email and team key, memberships of those teams that the file no longer lists are removed.
 * All or nothing: one transaction, and any bad row rejects the whole file.
 */
@Injectable()
export class RosterImportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async import(
    organisationId: string,
    csv: string,
    options: { dryRun?: boolean } = {},
  ): Promise<RosterImportSummary> {
    const parsed = parseRosterCsv(csv);
    if (!parsed.ok) throw rosterRejected(parsed.problems);
    const rows = parsed.rows;
    const dryRun = options.dryRun ?? false;

    const apply = async (tx: EntityManager): Promise<RosterImportSummary> => {
      // Serialises imports of one organisation; two at once would race on the membership diff.
      const org = await tx.query<unknown[]>(
        `select id from organisation where id = $1 for update`,
        [organisationId],
      );
      if (!org.length)
        throw new BadRequestException({ statusCode: 400, message: 'organisation not found' });
      await this.assertTeamKeysFree(tx, organisationId, rows);

      const departments = await this.upsertDepartments(tx, organisationId, rows);
      const teams = await this.upsertTeams(tx, organisationId, rows);
      const people = await this.upsertPeople(tx, organisationId, rows);
      const memberships = await this.syncMemberships(tx, organisationId, rows);
      return { rows: rows.length, dryRun, departments, teams, people, memberships };
    };

    if (!dryRun) return this.db.transaction(apply);
    // A dry run does the real work and rolls it back, so its counts are exactly what an import would do.
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      return await apply(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  private async assertTeamKeysFree(
    tx: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<void> {
    const keys = [...new Set(rows.map((r) => r.teamKey))];
    const clashes: { key: string; kind: string }[] = await tx.query(
      `select key, kind from unit where organisation_id = $1 and key = any($2::text[]) and kind <> 'team'`,
      [organisationId, keys],
    );
    if (!clashes.length) return;
    const clashing = new Map(clashes.map((c) => [c.key, c.kind]));
    const seen = new Set<string>();
    const problems: RosterProblem[] = [];
    for (const row of rows) {
      const kind = clashing.get(row.teamKey);
      if (kind && !seen.has(row.teamKey)) {
        seen.add(row.teamKey);
        problems.push({
          line: row.line,
          column: 'team_key',
          message: `"${row.teamKey}" is the key of a ${kind}, not a team`,
        });
      }
    }
    throw rosterRejected(problems);
  }

  private async upsertDepartments(
    tx: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<ImportCounts> {
    // Every prefix of every path, parents before children.
    const byKey = new Map<string, { name: string; parentKey: string | null; depth: number }>();
    for (const row of rows) {
      row.departmentPath.forEach((name, i) => {
        const key = departmentKey(row.departmentPath.slice(0, i + 1));
        if (!byKey.has(key)) {
          byKey.set(key, {
            name,
            parentKey: i === 0 ? null : departmentKey(row.departmentPath.slice(0, i)),
            depth: i,
          });
        }
      });
    }
    const all = [...byKey.entries()].sort((a, b) => a[1].depth - b[1].depth);
    const changed: Upserted = [];
    for (let depth = 0; all.some(([, d]) => d.depth === depth); depth++) {
      const level = all.filter(([, d]) => d.depth === depth);
      changed.push(
        ...(await tx.query<Upserted>(
          `insert into unit (organisation_id, parent_id, kind, key, name)
           select $1, coalesce(p.id, root.id), 'department', t.key, t.name
             from unnest($2::text[], $3::text[], $4::text[]) as t(key, name, parent_key)
             join unit root on root.organisation_id = $1 and root.parent_id is null
             left join unit p on p.organisation_id = $1 and p.key = t.parent_key
           on conflict (organisation_id, key) do update
             set name = excluded.name, parent_id = excluded.parent_id, updated_at = now()
             where (unit.name, unit.parent_id) is distinct from (excluded.name, excluded.parent_id)
           returning (xmax = 0) as inserted`,
          [
            organisationId,
            level.map(([k]) => k),
            level.map(([, d]) => d.name),
            level.map(([, d]) => d.parentKey),
          ],
        )),
      );
    }
    return counts(all.length, changed);
  }

  private async upsertTeams(
    tx: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<ImportCounts> {
    const teams = new Map<string, { name: string; parentKey: string | null }>();
    for (const row of rows) {
      if (!teams.has(row.teamKey)) {
        teams.set(row.teamKey, {
          name: row.teamName,
          parentKey: row.departmentPath.length ? departmentKey(row.departmentPath) : null,
        });
      }
    }
    const entries = [...teams.entries()];
    const changed: Upserted = await tx.query(
      `insert into unit (organisation_id, parent_id, kind, key, name)
       select $1, coalesce(p.id, root.id), 'team', t.key, t.name
         from unnest($2::text[], $3::text[], $4::text[]) as t(key, name, parent_key)
         join unit root on root.organisation_id = $1 and root.parent_id is null
         left join unit p on p.organisation_id = $1 and p.key = t.parent_key
       on conflict (organisation_id, key) do update
         set name = excluded.name, parent_id = excluded.parent_id, updated_at = now()
         where (unit.name, unit.parent_id) is distinct from (excluded.name, excluded.parent_id)
       returning (xmax = 0) as inserted`,
      [
        organisationId,
        entries.map(([k]) => k),
        entries.map(([, t]) => t.name),
        entries.map(([, t]) => t.parentKey),
      ],
    );
    return counts(entries.length, changed);
  }

  private async upsertPeople(
    tx: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<ImportCounts> {
    const people = new Map<string, string>();
    for (const row of rows) if (!people.has(row.email)) people.set(row.email, row.name);
    const changed: Upserted = await tx.query(
      `insert into person (organisation_id, email, name)
       select $1, t.email, t.name from unnest($2::text[], $3::text[]) as t(email, name)
       on conflict (organisation_id, email) do update set name = excluded.name, updated_at = now()
         where person.name is distinct from excluded.name
       returning (xmax = 0) as inserted`,
      [organisationId, [...people.keys()], [...people.values()]],
    );
    return counts(people.size, changed);
  }

  private async syncMemberships(
    tx: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<ImportCounts & { removed: number }> {
    await tx.query(
      `create temporary table roster_membership (email text, team_key text, role text) on commit drop`,
    );
    await tx.query(
      `insert into roster_membership select * from unnest($1::text[], $2::text[], $3::text[])`,
      [rows.map((r) => r.email), rows.map((r) => r.teamKey), rows.map((r) => r.role)],
    );
    const resolved = `select $1::uuid as organisation_id, p.id as person_id, u.id as unit_id, r.role
        from roster_membership r
        join person p on p.organisation_id = $1 and p.email = r.email
        join unit u on u.organisation_id = $1 and u.key = r.team_key`;
    const changed: Upserted = await tx.query(
      `insert into membership (organisation_id, person_id, unit_id, role) ${resolved}
       on conflict (person_id, unit_id) do update set role = excluded.role, updated_at = now()
         where membership.role <> excluded.role
       returning (xmax = 0) as inserted`,
      [organisationId],
    );
    const removed = await affected(
      tx,
      `delete from membership m
        using unit u
        where u.id = m.unit_id and u.organisation_id = $1
          and u.key in (select distinct team_key from roster_membership)
          and (m.person_id, m.unit_id) not in (select person_id, unit_id from (${resolved}) kept)`,
      [organisationId],
    );
    await tx.query(`drop table roster_membership`);
    return { ...counts(rows.length, changed), removed };
  }
}
