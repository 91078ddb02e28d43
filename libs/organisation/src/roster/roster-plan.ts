/**
 * What importing a roster file would do, worked out from the file's rows and the organisation's
 * current roster without writing anything. Pure: the import applies exactly these steps, and a
 * dry run is this function over a read of the database.
 */
import { createHash } from 'node:crypto';
import type { RosterProblem, RosterRole, RosterRow } from './roster-csv';

/** Department units made by an import are keyed by their path, so re-imports find them again. */
export function departmentKey(path: string[]): string {
  return `dept:${path.map((s) => s.toLowerCase()).join('/')}`;
}

/** The parts of an organisation's roster a file can touch, as read from the database. */
export interface RosterState {
  rootId: string;
  /** Every unit of the organisation. */
  units: { id: string; key: string; kind: string; name: string; parentId: string | null }[];
  /** The people the file names (by lower-case email), and people whose memberships may end. */
  people: { id: string; email: string; name: string }[];
  /** Every membership in a unit whose key the file names as a team. */
  memberships: { personId: string; unitKey: string; role: RosterRole }[];
  /** People with a membership somewhere the file does not name (they keep a team). */
  peopleWithOtherTeams: string[];
}

export interface UnitRef {
  kind: 'department' | 'team';
  /** The team key as written; for a department its path, "Engineering / Platform". */
  key: string;
  name: string;
  /** Where it hangs: the department path above it, or "" for the top of the organisation. */
  parent: string;
  /** The first line of the file that names it. */
  line: number;
}

export interface UnitChange extends UnitRef {
  before: { name: string; parent: string };
  /** Whether it hangs below another unit (two departments may have the same path of names). */
  moved: boolean;
}

export interface PersonRef {
  email: string;
  name: string;
  line?: number;
}

export interface PersonRename extends PersonRef {
  line: number;
  before: { name: string };
}

export interface MembershipRef {
  email: string;
  name: string;
  teamKey: string;
  role: RosterRole;
  line?: number;
}

export interface MembershipRoleChange extends MembershipRef {
  line: number;
  before: { role: RosterRole };
}

export interface RosterPlan {
  /** Rows of people in the file (header and blank lines aside). */
  rows: number;
  /** Every problem by line and column; when there are any, the file cannot be imported. */
  problems: RosterProblem[];
  people: {
    added: PersonRef[];
    renamed: PersonRename[];
    unchanged: number;
    /**
     * People the file leaves without any team: their memberships in the file's teams end and they
     * have no other. They keep their account and their past answers; nobody is deleted.
     */
    leavingAllTeams: PersonRef[];
  };
  units: {
    added: UnitRef[];
    changed: UnitChange[];
    unchanged: { departments: number; teams: number };
  };
  memberships: {
    started: MembershipRef[];
    roleChanged: MembershipRoleChange[];
    ended: MembershipRef[];
    unchanged: number;
  };
}

/** A plan of a file with problems: nothing else is worked out, since nothing can be imported. */
export function rejectedPlan(rows: number, problems: RosterProblem[]): RosterPlan {
  return {
    rows,
    problems,
    people: { added: [], renamed: [], unchanged: 0, leavingAllTeams: [] },
    units: { added: [], changed: [], unchanged: { departments: 0, teams: 0 } },
    memberships: { started: [], roleChanged: [], ended: [], unchanged: 0 },
  };
}

export function hasChanges(plan: RosterPlan): boolean {
  const { people, units, memberships } = plan;
  return (
    people.added.length +
      people.renamed.length +
      units.added.length +
      units.changed.length +
      memberships.started.length +
      memberships.roleChanged.length +
      memberships.ended.length >
    0
  );
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The units, people and memberships a file needs, each with the first line that names it. */
interface Wanted {
  /** Departments by key, parents before children. */
  departments: Map<string, { path: string[]; parentKey: string | null; line: number }>;
  teams: Map<string, { name: string; parentKey: string | null; path: string[]; line: number }>;
  people: Map<string, { name: string; line: number }>;
  memberships: RosterRow[];
}

function wantedBy(rows: RosterRow[]): Wanted {
  const wanted: Wanted = {
    departments: new Map(),
    teams: new Map(),
    people: new Map(),
    memberships: rows,
  };
  for (const row of rows) {
    row.departmentPath.forEach((_, i) => {
      const path = row.departmentPath.slice(0, i + 1);
      const key = departmentKey(path);
      if (!wanted.departments.has(key)) {
        wanted.departments.set(key, {
          path,
          parentKey: i === 0 ? null : departmentKey(path.slice(0, -1)),
          line: row.line,
        });
      }
    });
    if (!wanted.teams.has(row.teamKey)) {
      wanted.teams.set(row.teamKey, {
        name: row.teamName,
        parentKey: row.departmentPath.length ? departmentKey(row.departmentPath) : null,
        path: row.departmentPath,
        line: row.line,
      });
    }
    if (!wanted.people.has(row.email))
      wanted.people.set(row.email, { name: row.name, line: row.line });
  }
  return wanted;
}

/**
 * Team keys the organisation already uses for a department or the organisation itself: the
 * file cannot make them teams. One problem per key, on the first line naming it.
 */
export function teamKeyClashes(rows: RosterRow[], state: RosterState): RosterProblem[] {
  const kinds = new Map(state.units.map((u) => [u.key, u.kind]));
  const seen = new Set<string>();
  const problems: RosterProblem[] = [];
  for (const row of rows) {
    const kind = kinds.get(row.teamKey);
    if (kind && kind !== 'team' && !seen.has(row.teamKey)) {
      seen.add(row.teamKey);
      problems.push({
        line: row.line,
        column: 'team_key',
        message: `"${row.teamKey}" is the key of a ${kind}, not a team; choose another team key.`,
      });
    }
  }
  return problems;
}

/** What importing `rows` into an organisation whose roster is `state` would change. */
export function planRoster(rows: RosterRow[], state: RosterState): RosterPlan {
  const clashes = teamKeyClashes(rows, state);
  if (clashes.length) return rejectedPlan(rows.length, clashes);

  const wanted = wantedBy(rows);
  const unitByKey = new Map(state.units.map((u) => [u.key, u]));
  const unitById = new Map(state.units.map((u) => [u.id, u]));
  /** How a unit's place is shown: the path of department names above it. */
  const placeOf = (parentId: string | null): string => {
    const names: string[] = [];
    for (let u = parentId ? unitById.get(parentId) : undefined; u && u.parentId;) {
      names.unshift(u.name);
      u = u.parentId ? unitById.get(u.parentId) : undefined;
    }
    return names.join(' / ');
  };
  const placeByKey = (parentKey: string | null): string => {
    if (parentKey === null) return '';
    const dept = wanted.departments.get(parentKey);
    return dept ? dept.path.join(' / ') : '';
  };

  const units: RosterPlan['units'] = {
    added: [],
    changed: [],
    unchanged: { departments: 0, teams: 0 },
  };
  const consider = (
    kind: 'department' | 'team',
    key: string,
    shownKey: string,
    name: string,
    parentKey: string | null,
    line: number,
  ) => {
    const after = { kind, key: shownKey, name, parent: placeByKey(parentKey), line };
    const existing = unitByKey.get(key);
    if (!existing) return void units.added.push(after);
    // The import hangs a unit below its parent's unit, or the root when it has none.
    const parentId = parentKey === null ? state.rootId : unitByKey.get(parentKey)?.id;
    if (existing.name === name && existing.parentId === parentId) {
      units.unchanged[kind === 'team' ? 'teams' : 'departments']++;
      return;
    }
    units.changed.push({
      ...after,
      before: { name: existing.name, parent: placeOf(existing.parentId) },
      moved: existing.parentId !== parentId,
    });
  };
  for (const [key, d] of wanted.departments)
    consider('department', key, d.path.join(' / '), d.path.at(-1)!, d.parentKey, d.line);
  for (const [key, t] of wanted.teams) consider('team', key, key, t.name, t.parentKey, t.line);

  const personByEmail = new Map(state.people.map((p) => [p.email, p]));
  const personById = new Map(state.people.map((p) => [p.id, p]));
  const people: RosterPlan['people'] = {
    added: [],
    renamed: [],
    unchanged: 0,
    leavingAllTeams: [],
  };
  for (const [email, p] of wanted.people) {
    const existing = personByEmail.get(email);
    if (!existing) people.added.push({ email, name: p.name, line: p.line });
    else if (existing.name !== p.name)
      people.renamed.push({ email, name: p.name, line: p.line, before: { name: existing.name } });
    else people.unchanged++;
  }

  const held = new Map<string, { personId: string; unitKey: string; role: RosterRole }>();
  for (const m of state.memberships) held.set(`${m.personId} ${m.unitKey}`, m);
  const memberships: RosterPlan['memberships'] = {
    started: [],
    roleChanged: [],
    ended: [],
    unchanged: 0,
  };
  const kept = new Set<string>();
  for (const row of rows) {
    const person = personByEmail.get(row.email);
    const key = person ? `${person.id} ${row.teamKey}` : undefined;
    const existing = key ? held.get(key) : undefined;
    const ref = {
      email: row.email,
      name: row.name,
      teamKey: row.teamKey,
      role: row.role,
      line: row.line,
    };
    if (key) kept.add(key);
    if (!existing) memberships.started.push(ref);
    else if (existing.role !== row.role)
      memberships.roleChanged.push({ ...ref, before: { role: existing.role } });
    else memberships.unchanged++;
  }
  const inFile = new Set(wanted.people.keys());
  const keepsATeam = new Set(state.peopleWithOtherTeams);
  const leaving = new Map<string, PersonRef>();
  for (const m of state.memberships) {
    if (!wanted.teams.has(m.unitKey) || kept.has(`${m.personId} ${m.unitKey}`)) continue;
    const person = personById.get(m.personId);
    if (!person) continue; // the state read every member of the file's teams
    memberships.ended.push({
      email: person.email,
      name: person.name,
      teamKey: m.unitKey,
      role: m.role,
    });
    if (!inFile.has(person.email) && !keepsATeam.has(person.id))
      leaving.set(person.email, { email: person.email, name: person.name });
  }
  memberships.ended.sort((a, b) => byText(a.teamKey, b.teamKey) || byText(a.email, b.email));
  people.leavingAllTeams = [...leaving.values()].sort((a, b) => byText(a.email, b.email));

  return { rows: rows.length, problems: [], people, units, memberships };
}

/**
 * A digest of what a plan would do, before and after values included: two plans with the same
 * digest make the same changes to the same roster.
 */
export function planDigest(plan: RosterPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}

/** The digest of a file's content, as UTF-8 text. */
export function fileDigest(csv: string): string {
  return createHash('sha256').update(csv, 'utf8').digest('hex');
}
