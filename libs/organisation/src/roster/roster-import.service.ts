import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { affected } from '@trellis/database';
import { parseRosterCsv, type RosterProblem, type RosterRow } from './roster-csv';
import {
  departmentKey,
  planRoster,
  rejectedPlan,
  type RosterPlan,
  type RosterState,
} from './roster-plan';

export { departmentKey };

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

/** The first import route's counts, worked out from a plan. */
export function summaryOf(plan: RosterPlan): RosterImportSummary {
  const of = (kind: 'department' | 'team') => {
    const added = plan.units.added.filter((u) => u.kind === kind).length;
    const changed = plan.units.changed.filter((u) => u.kind === kind).length;
    return { added, changed };
  };
  const d = of('department');
  const t = of('team');
  return {
    rows: plan.rows,
    dryRun: true,
    departments: {
      created: d.added,
      updated: d.changed,
      unchanged: plan.units.unchanged.departments,
    },
    teams: { created: t.added, updated: t.changed, unchanged: plan.units.unchanged.teams },
    people: {
      created: plan.people.added.length,
      updated: plan.people.renamed.length,
      unchanged: plan.people.unchanged,
    },
    memberships: {
      created: plan.memberships.started.length,
      updated: plan.memberships.roleChanged.length,
      unchanged: plan.memberships.unchanged,
      removed: plan.memberships.ended.length,
    },
  };
}

/**
 * Applies an HR export as the roster of the teams it names: people and teams are upserted by
 * email and team key, memberships of those teams that the file no longer lists are removed.
 * All or nothing: one transaction, and any bad row rejects the whole file.
 */
@Injectable()
export class RosterImportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * What importing the file would change, from read-only queries: nothing is written, not even
   * in a transaction rolled back. Problems of the file and of its team keys are in the plan.
   */
  async plan(organisationId: string, csv: string): Promise<RosterPlan> {
    const parsed = parseRosterCsv(csv);
    if (!parsed.ok) return rejectedPlan(0, parsed.problems);
    return planRoster(
      parsed.rows,
      await this.readState(this.db.manager, organisationId, parsed.rows),
    );
  }

  /**
   * Applies the file in one transaction, after the organisation's roster is locked. `expect`
   * sees the plan worked out under that lock, so a caller can refuse a roster changed since it
   * showed a preview; nothing is written when it throws.
   */
  async apply(
    organisationId: string,
    csv: string,
    expect?: (plan: RosterPlan) => void,
  ): Promise<{ plan: RosterPlan; summary: RosterImportSummary }> {
    const parsed = parseRosterCsv(csv);
    if (!parsed.ok) throw rosterRejected(parsed.problems);
    const rows = parsed.rows;
    return this.db.transaction(async (tx) => {
      // Serialises imports of one organisation; two at once would race on the membership diff.
      const org = await tx.query<unknown[]>(
        `select id from organisation where id = $1 for update`,
        [organisationId],
      );
      if (!org.length)
        throw new BadRequestException({ statusCode: 400, message: 'organisation not found' });
      const plan = planRoster(rows, await this.readState(tx, organisationId, rows));
      if (plan.problems.length) throw rosterRejected(plan.problems);
      expect?.(plan);
      const departments = await this.upsertDepartments(tx, organisationId, rows);
      const teams = await this.upsertTeams(tx, organisationId, rows);
      const people = await this.upsertPeople(tx, organisationId, rows);
      const memberships = await this.syncMemberships(tx, organisationId, rows);
      const summary = { rows: rows.length, dryRun: false, departments, teams, people, memberships };
      return { plan, summary };
    });
  }

  /** The API's first import route: applies at once, or with dryRun only works out the counts. */
  async import(
    organisationId: string,
    csv: string,
    options: { dryRun?: boolean } = {},
  ): Promise<RosterImportSummary> {
    if (!options.dryRun) return (await this.apply(organisationId, csv)).summary;
    const parsed = parseRosterCsv(csv);
    if (!parsed.ok) throw rosterRejected(parsed.problems);
    const organisation = await this.db.query<unknown[]>(
      `select 1 from organisation where id = $1`,
      [organisationId],
    );
    if (!organisation.length)
      throw new BadRequestException({ statusCode: 400, message: 'organisation not found' });
    const plan = await this.plan(organisationId, csv);
    if (plan.problems.length) throw rosterRejected(plan.problems);
    return summaryOf(plan);
  }

  /** The roster a file's plan depends on: units, the people it names, its teams' members. */
  private async readState(
    db: EntityManager,
    organisationId: string,
    rows: RosterRow[],
  ): Promise<RosterState> {
    const teamKeys = [...new Set(rows.map((r) => r.teamKey))];
    const emails = [...new Set(rows.map((r) => r.email))];
    const units = await db.query<RosterState['units']>(
      `select id, key, kind, name, parent_id as "parentId" from unit where organisation_id = $1`,
      [organisationId],
    );
    const root = units.find((u) => u.parentId === null);
    const memberships = await db.query<
      (RosterState['memberships'][number] & { email: string; name: string })[]
    >(
      `select m.person_id as "personId", u.key as "unitKey", m.role, p.email, p.name
         from membership m
         join unit u on u.id = m.unit_id and u.kind = 'team'
         join person p on p.id = m.person_id
        where m.organisation_id = $1 and u.key = any($2::text[])`,
      [organisationId, teamKeys],
    );
    const named = await db.query<RosterState['people']>(
      `select id, email, name from person where organisation_id = $1 and email = any($2::text[])`,
      [organisationId, emails],
    );
    const people = new Map(named.map((p) => [p.id, p]));
    for (const m of memberships)
      people.set(m.personId, { id: m.personId, email: m.email, name: m.name });
    const members = [...new Set(memberships.map((m) => m.personId))];
    const elsewhere = await db.query<{ personId: string }[]>(
      `select distinct m.person_id as "personId"
         from membership m join unit u on u.id = m.unit_id
        where m.organisation_id = $1 and m.person_id = any($2::uuid[])
          and not (u.kind = 'team' and u.key = any($3::text[]))`,
      [organisationId, members, teamKeys],
    );
    return {
      rootId: root?.id ?? '',
      units,
      people: [...people.values()],
      memberships: memberships.map(({ personId, unitKey, role }) => ({ personId, unitKey, role })),
      peopleWithOtherTeams: elsewhere.map((e) => e.personId),
    };
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
