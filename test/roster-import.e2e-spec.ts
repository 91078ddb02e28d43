import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

// Boots a real app, imports hundreds of rows and runs property tests: more than the 5 s default.
jest.setTimeout(120_000);

/**
 * Roster imports through the HTTP API, signed in as HR, checked against what is in the database.
 */

const HEADER = 'email,name,team_key,team_name,department,role';

interface Row {
  email: string;
  name: string;
  teamKey: string;
  teamName: string;
  department: string;
  role: string;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(rows: Row[], extraLines: string[] = []): string {
  return [
    HEADER,
    ...rows.map((r) =>
      [r.email, r.name, r.teamKey, r.teamName, r.department, r.role].map(csvCell).join(','),
    ),
    ...extraLines,
  ].join('\n');
}

/** Leaf department paths; their prefixes make 11 distinct departments under 4 top-level ones. */
const DEPARTMENTS = [
  'Engineering / Platform',
  'Engineering / Product',
  'Engineering / Product / Mobile',
  'Sales / EMEA',
  'Sales / Americas',
  'Operations',
  'Operations / Facilities',
  'People / Talent',
];
const DEPARTMENT_COUNT = 11;
const TEAMS = 50;
const PEOPLE = 500;

interface Roster {
  rows: Row[];
  teamDepartment: Map<string, string>;
}

/**
 * 500 people in 50 teams of 10 (one leader, nine members). The first ten leaders are also members
 * of the next team, and people 100..119 are members of a second team: 530 memberships, 50 of them
 * as leader. Emails are mixed case on purpose, and some names need CSV quoting.
 */
function generateRoster(opts: { domain?: string; teamPrefix?: string } = {}): Roster {
  const domain = opts.domain ?? 'Roster.Example';
  const teamPrefix = opts.teamPrefix ?? 'team';
  const teamKey = (i: number) => `${teamPrefix}-${i}`;
  const teamName = (i: number) => `Team ${teamPrefix} ${i}`;
  const department = (i: number) => DEPARTMENTS[i % DEPARTMENTS.length];
  const email = (j: number) => `Person.${j}@${domain}`;
  const name = (j: number) => (j % 97 === 5 ? `Doe, "Pat" ${j}` : `Person ${j}`);
  const rows: Row[] = [];
  const row = (j: number, team: number, role: string): Row => ({
    email: email(j),
    name: name(j),
    teamKey: teamKey(team),
    teamName: teamName(team),
    department: department(team),
    role,
  });
  for (let j = 0; j < PEOPLE; j++) {
    const home = j % TEAMS;
    rows.push(row(j, home, j < TEAMS ? 'leader' : 'member'));
    if (j < 10) rows.push(row(j, (home + 1) % TEAMS, 'member'));
    if (j >= 100 && j < 120) rows.push(row(j, (home + 7) % TEAMS, 'member'));
  }
  const teamDepartment = new Map<string, string>();
  for (let i = 0; i < TEAMS; i++) teamDepartment.set(teamKey(i), department(i));
  return { rows, teamDepartment };
}

describe('roster imports', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000' });
    org = await createOrg(t.app, 'roster');
    other = await createOrg(t.app, 'roster-other');
    hr = await signIn(t.http, org.hr.email);
  });
  afterAll(() => t.close());

  const post = (orgId: string, csv: string, query = '', token = hr) =>
    t.http
      .post(`/organisations/${orgId}/roster-imports${query}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/csv')
      .send(csv);

  /** Row counts of every table an import could touch, across all organisations. */
  async function tableCounts(): Promise<Record<string, number>> {
    const { rows } = await t.db.query<Record<string, number>>(
      `select (select count(*)::int from organisation) as organisation,
              (select count(*)::int from unit) as unit,
              (select count(*)::int from person) as person,
              (select count(*)::int from membership) as membership,
              (select count(*)::int from organisation_role) as organisation_role`,
    );
    return rows[0];
  }

  /** Every row of the tables an import writes, with its timestamp, in a stable order. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const q = async (sql: string) => (await t.db.query(sql)).rows;
    return {
      person: await q(
        `select id, organisation_id, email, name, updated_at from person order by id`,
      ),
      unit: await q(
        `select id, organisation_id, parent_id, kind, key, name, updated_at from unit order by id`,
      ),
      membership: await q(
        `select id, person_id, unit_id, role, updated_at from membership order by id`,
      ),
    };
  }

  async function orgCounts(orgId: string) {
    const { rows } = await t.db.query<Record<string, number>>(
      `select (select count(*)::int from person where organisation_id = $1) as people,
              (select count(*)::int from unit where organisation_id = $1 and kind = 'team') as teams,
              (select count(*)::int from unit where organisation_id = $1 and kind = 'department') as departments,
              (select count(*)::int from membership where organisation_id = $1) as memberships,
              (select count(*)::int from membership where organisation_id = $1 and role = 'leader') as leaders`,
      [orgId],
    );
    return rows[0];
  }

  /** Each team's department path from the root down, e.g. "Engineering / Product / Mobile". */
  async function teamPaths(orgId: string): Promise<Map<string, string>> {
    const { rows } = await t.db.query<{ key: string; path: string }>(
      `with recursive up as (
         select t.key as team_key, t.parent_id as id, 0 as depth from unit t
          where t.organisation_id = $1 and t.kind = 'team'
         union all
         select up.team_key, u.parent_id, up.depth + 1 from up join unit u on u.id = up.id
          where u.parent_id is not null
       )
       select up.team_key as key,
              coalesce(string_agg(u.name, ' / ' order by up.depth desc)
                         filter (where u.kind = 'department'), '') as path
         from up join unit u on u.id = up.id
        group by up.team_key`,
      [orgId],
    );
    return new Map(rows.map((r) => [r.key, r.path]));
  }

  async function membershipSet(orgId: string, teamPrefix = 'team-'): Promise<string[]> {
    const { rows } = await t.db.query<{ m: string }>(
      `select p.email || ' ' || u.key || ' ' || m.role as m
         from membership m join person p on p.id = m.person_id join unit u on u.id = m.unit_id
        where m.organisation_id = $1 and u.key like $2 order by 1`,
      [orgId, `${teamPrefix}%`],
    );
    return rows.map((r) => r.m);
  }

  const expectedMemberships = (rows: Row[]) =>
    rows
      .map((r) => `${r.email.toLowerCase()} ${r.teamKey} ${r.role}`)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  describe('a 500-person organisation', () => {
    const roster = generateRoster();
    const csv = toCsv(roster.rows);
    let baseline: Awaited<ReturnType<typeof orgCounts>>;
    let firstIds: { people: Map<string, string>; teams: Map<string, string> };

    const idsByEmail = async () =>
      new Map(
        (
          await t.db.query<{ email: string; id: string }>(
            `select email, id from person where organisation_id = $1`,
            [org.orgId],
          )
        ).rows.map((r) => [r.email, r.id]),
      );
    const teamIdsByKey = async () =>
      new Map(
        (
          await t.db.query<{ key: string; id: string }>(
            `select key, id from unit where organisation_id = $1 and kind = 'team'`,
            [org.orgId],
          )
        ).rows.map((r) => [r.key, r.id]),
      );

    beforeAll(async () => {
      baseline = await orgCounts(org.orgId);
    });

    it('imports the generated file: 200 with counts, and exactly that in the database', async () => {
      expect(roster.rows).toHaveLength(530);
      const fixtureMemberships = await membershipSet(org.orgId, '');

      const res = await post(org.orgId, csv);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        rows: 530,
        dryRun: false,
        departments: { created: DEPARTMENT_COUNT, updated: 0, unchanged: 0 },
        teams: { created: TEAMS, updated: 0, unchanged: 0 },
        people: { created: PEOPLE, updated: 0, unchanged: 0 },
        memberships: { created: 530, updated: 0, unchanged: 0, removed: 0 },
      });

      expect(await orgCounts(org.orgId)).toEqual({
        people: baseline.people + PEOPLE,
        teams: baseline.teams + TEAMS,
        departments: baseline.departments + DEPARTMENT_COUNT,
        memberships: baseline.memberships + 530,
        leaders: baseline.leaders + TEAMS,
      });

      // Emails are stored lower-cased, names as written (quoted CSV values unquoted).
      const people = await t.db.query<{ email: string; name: string }>(
        `select email, name from person where organisation_id = $1 and email like '%@roster.example'`,
        [org.orgId],
      );
      const expectedPeople = new Map(roster.rows.map((r) => [r.email.toLowerCase(), r.name]));
      expect(new Map(people.rows.map((p) => [p.email, p.name]))).toEqual(expectedPeople);
      expect(expectedPeople.get('person.5@roster.example')).toBe('Doe, "Pat" 5');

      // Every team hangs below the right department, with each level its own department unit.
      const paths = await teamPaths(org.orgId);
      for (const [key, department] of roster.teamDepartment)
        expect(paths.get(key)).toBe(department);
      const departmentNames = await t.db.query<{ name: string; parent: string }>(
        `select d.name, p.kind || ':' || p.name as parent from unit d join unit p on p.id = d.parent_id
          where d.organisation_id = $1 and d.kind = 'department' and d.key like 'dept:%' order by 1, 2`,
        [org.orgId],
      );
      expect(departmentNames.rows).toEqual(
        [
          ['Americas', 'department:Sales'],
          ['EMEA', 'department:Sales'],
          ['Engineering', 'organisation:Org roster'],
          ['Facilities', 'department:Operations'],
          ['Mobile', 'department:Product'],
          ['Operations', 'organisation:Org roster'],
          ['People', 'organisation:Org roster'],
          ['Platform', 'department:Engineering'],
          ['Product', 'department:Engineering'],
          ['Sales', 'organisation:Org roster'],
          ['Talent', 'department:People'],
        ].map(([name, parent]) => ({ name, parent })),
      );

      // Exactly the memberships in the file, each team with exactly one leader.
      expect(await membershipSet(org.orgId)).toEqual(expectedMemberships(roster.rows));
      const leadersPerTeam = await t.db.query<{ n: number }>(
        `select count(*) filter (where m.role = 'leader')::int as n
           from unit u left join membership m on m.unit_id = u.id
          where u.organisation_id = $1 and u.key like 'team-%' group by u.id`,
        [org.orgId],
      );
      expect(leadersPerTeam.rows).toHaveLength(TEAMS);
      expect(leadersPerTeam.rows.every((r) => r.n === 1)).toBe(true);
      // Person 3 leads team-3 and is a member of team-4.
      const person3 = await t.db.query<{ key: string; role: string }>(
        `select u.key, m.role from membership m join person p on p.id = m.person_id
           join unit u on u.id = m.unit_id where p.email = 'person.3@roster.example' order by 1`,
      );
      expect(person3.rows).toEqual([
        { key: 'team-3', role: 'leader' },
        { key: 'team-4', role: 'member' },
      ]);

      // The fixture's own teams, which the file does not name, are untouched.
      expect(await membershipSet(org.orgId, '')).toEqual(
        [...fixtureMemberships, ...expectedMemberships(roster.rows)].sort((a, b) =>
          a < b ? -1 : a > b ? 1 : 0,
        ),
      );

      firstIds = { people: await idsByEmail(), teams: await teamIdsByKey() };
    });

    it('re-importing the same file changes nothing', async () => {
      const before = await snapshot();
      const res = await post(org.orgId, csv);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        rows: 530,
        dryRun: false,
        departments: { created: 0, updated: 0, unchanged: DEPARTMENT_COUNT },
        teams: { created: 0, updated: 0, unchanged: TEAMS },
        people: { created: 0, updated: 0, unchanged: PEOPLE },
        memberships: { created: 0, updated: 0, unchanged: 530, removed: 0 },
      });
      expect(await snapshot()).toEqual(before);
    });

    it('a changed file updates in place, keeping ids; a dry run of it predicts the counts and writes nothing', async () => {
      const changed = roster.rows
        // drop a membership: person 499 (a member of team-49 only) leaves the file
        .filter((r) => r.email !== 'Person.499@Roster.Example')
        .map((r) => {
          // rename a person
          if (r.email === 'Person.200@Roster.Example') return { ...r, name: 'Renamed Person' };
          // move a team to another (new, nested) department
          if (r.teamKey === 'team-7') return { ...r, department: 'Finance / Audit' };
          // member -> leader
          if (r.email === 'Person.60@Roster.Example' && r.teamKey === 'team-10')
            return { ...r, role: 'leader' };
          return r;
        });
      // add a person
      changed.push({
        email: 'New.Hire@Roster.Example',
        name: 'New Hire',
        teamKey: 'team-0',
        teamName: 'Team team 0',
        department: 'Engineering / Platform',
        role: 'member',
      });
      const changedCsv = toCsv(changed);
      const expected = {
        rows: 530,
        departments: { created: 2, updated: 0, unchanged: DEPARTMENT_COUNT },
        teams: { created: 0, updated: 1, unchanged: TEAMS - 1 },
        people: { created: 1, updated: 1, unchanged: PEOPLE - 2 },
        memberships: { created: 1, updated: 1, unchanged: 528, removed: 1 },
      };

      const before = await snapshot();
      const dry = await post(org.orgId, changedCsv, '?dryRun=true');
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({ ...expected, dryRun: true });
      expect(await snapshot()).toEqual(before);

      const membershipId = async (email: string, key: string) =>
        (
          await t.db.query<{ id: string; role: string }>(
            `select m.id, m.role from membership m join person p on p.id = m.person_id
               join unit u on u.id = m.unit_id where p.email = $1 and u.key = $2`,
            [email, key],
          )
        ).rows[0];
      const promotedBefore = await membershipId('person.60@roster.example', 'team-10');
      expect(promotedBefore.role).toBe('member');

      const res = await post(org.orgId, changedCsv);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...expected, dryRun: false });

      // The dry run predicted exactly what the import did.
      expect({ ...dry.body, dryRun: false }).toEqual(res.body);

      expect(await orgCounts(org.orgId)).toEqual({
        people: baseline.people + PEOPLE + 1,
        teams: baseline.teams + TEAMS,
        departments: baseline.departments + DEPARTMENT_COUNT + 2,
        memberships: baseline.memberships + 530,
        leaders: baseline.leaders + TEAMS + 1,
      });
      expect(await membershipSet(org.orgId)).toEqual(expectedMemberships(changed));

      // Existing people and teams keep their ids; only the new hire is new.
      const people = await idsByEmail();
      for (const [email, id] of firstIds.people) expect(people.get(email)).toBe(id);
      expect(people.get('new.hire@roster.example')).toEqual(expect.any(String));
      expect(people.size).toBe(firstIds.people.size + 1);
      expect(await teamIdsByKey()).toEqual(firstIds.teams);
      // The promoted membership was updated in place, not replaced.
      expect(await membershipId('person.60@roster.example', 'team-10')).toEqual({
        id: promotedBefore.id,
        role: 'leader',
      });
      // Person 499 is still there, just no longer in team-49.
      expect(people.has('person.499@roster.example')).toBe(true);
      expect(await membershipId('person.499@roster.example', 'team-49')).toBeUndefined();

      const renamed = await t.db.query(`select id, name from person where email = $1`, [
        'person.200@roster.example',
      ]);
      expect(renamed.rows).toEqual([
        { id: firstIds.people.get('person.200@roster.example'), name: 'Renamed Person' },
      ]);
      expect((await teamPaths(org.orgId)).get('team-7')).toBe('Finance / Audit');
      expect((await teamPaths(org.orgId)).get('team-8')).toBe(roster.teamDepartment.get('team-8'));

      // Only the rows that changed were touched.
      const after = await snapshot();
      const touched = (table: 'person' | 'unit' | 'membership') => {
        const old = new Map(
          (before[table] as { id: string; updated_at: Date }[]).map((r) => [
            r.id,
            r.updated_at.getTime(),
          ]),
        );
        return (after[table] as { id: string; updated_at: Date }[])
          .filter((r) => old.has(r.id) && old.get(r.id) !== r.updated_at.getTime())
          .map((r) => r.id);
      };
      expect(touched('person')).toEqual([firstIds.people.get('person.200@roster.example')]);
      expect(touched('unit')).toEqual([firstIds.teams.get('team-7')]);
      expect(touched('membership')).toEqual([promotedBefore.id]);
    });
  });

  describe('a file with bad rows', () => {
    it('lists every problem with its line and column, and writes nothing', async () => {
      const valid = (email: string, team = 'bad-1', name = 'Valid Person'): string =>
        `${email},${name},${team},Bad Team,Engineering / Platform,member`;
      const csv = [
        HEADER,
        valid('valid.one@bad.example'), // 2
        'not-an-email,Someone,bad-1,Bad Team,Engineering / Platform,member', // 3: email
        'missing.name@bad.example,,bad-1,Bad Team,Engineering / Platform,member', // 4: name
        'bad.role@bad.example,Bad Role,bad-1,Bad Team,Engineering / Platform,boss', // 5: role
        valid('Valid.One@bad.example'), // 6: duplicate email + team (case-insensitive)
        'renamer@bad.example,Renamer,bad-1,Other Name,Engineering / Platform,member', // 7: team_name
        'short@bad.example,Short Row,bad-2', // 8: column count
        valid('valid.two@bad.example', 'bad-2'), // 9
      ].join('\n');
      const before = await tableCounts();
      const res = await post(org.orgId, csv);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/6 problems/);
      expect(
        res.body.problems.map((p: { line: number; column: string }) => ({
          line: p.line,
          column: p.column,
        })),
      ).toEqual([
        { line: 3, column: 'email' },
        { line: 4, column: 'name' },
        { line: 5, column: 'role' },
        { line: 6, column: 'email' },
        { line: 7, column: 'team_name' },
        { line: 8, column: '*' },
      ]);
      for (const p of res.body.problems) expect(p.message).toEqual(expect.stringMatching(/\S/));
      expect(res.body.problems[3].message).toMatch(/line 2/);
      expect(await tableCounts()).toEqual(before);
      const written = await t.db.query(`select 1 from person where email like '%@bad.example'`);
      expect(written.rowCount).toBe(0);
    });

    it('rejects an otherwise valid 500-person file whose bad rows are at the end, writing nothing', async () => {
      const roster = generateRoster({ domain: 'late.example', teamPrefix: 'late' });
      const lastLine = roster.rows.length + 1;
      const csv = toCsv(roster.rows, [
        'late.bad@late.example,Late Bad,late-0,Team late 0,Engineering / Platform,chief',
        `person.1@late.example,Person 1,late-1,Team late 1,${DEPARTMENTS[1]},member`,
      ]);
      const before = await tableCounts();
      for (const query of ['', '?dryRun=true']) {
        const res = await post(org.orgId, csv, query);
        expect(res.status).toBe(400);
        expect(
          res.body.problems.map((p: { line: number; column: string }) => [p.line, p.column]),
        ).toEqual([
          [lastLine + 1, 'role'],
          [lastLine + 2, 'email'],
        ]);
      }
      expect(await tableCounts()).toEqual(before);
    });

    it('rejects a team key that is already a department key, naming line and column, writing nothing', async () => {
      const created = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name: 'Operations', key: 'ops', kind: 'department' });
      expect(created.status).toBe(201);

      // 500 valid new people first, so a partial write would show.
      const roster = generateRoster({ domain: 'ops.example', teamPrefix: 'opsx' });
      const opsLine = roster.rows.length + 2;
      const csv = toCsv(roster.rows, [
        'ops.person@ops.example,Ops Person,ops,Ops Team,Operations,member',
        'ops.other@ops.example,Ops Other,ops,Ops Team,Operations,leader',
      ]);
      const before = await tableCounts();
      const beforeRows = await snapshot();
      for (const query of ['', '?dryRun=true']) {
        const res = await post(org.orgId, csv, query);
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([
          { line: opsLine, column: 'team_key', message: expect.stringContaining('ops') },
        ]);
      }
      expect(await tableCounts()).toEqual(before);
      expect(await snapshot()).toEqual(beforeRows);
      const ops = await t.db.query(
        `select kind from unit where organisation_id = $1 and key = 'ops'`,
        [org.orgId],
      );
      expect(ops.rows).toEqual([{ kind: 'department' }]);
    });
    it('stores a long department path whose every level is within the limits', async () => {
      // Each level is within the parser's limit of 200 characters; the whole path is the department's key.
      const path = ['A', 'B', 'C'].map((c) => c.repeat(150)).join(' / ');
      const csv = [
        HEADER,
        `long.path@bad.example,Long Path,long-path,Long Path,${path},member`,
      ].join('\n');
      const res = await post(org.orgId, csv);
      expect(res.status).toBe(200);
      expect(res.body.departments.created).toBe(3);
      const deepest = await t.db.query(
        'select name from unit where organisation_id = $1 and key = $2',
        [
          org.orgId,
          `dept:${path
            .split(' / ')
            .map((s) => s.toLowerCase())
            .join('/')}`,
        ],
      );
      expect(deepest.rows).toEqual([{ name: 'C'.repeat(150) }]);
    });

    it('reports a NUL character in a cell against its line and column, not as a 500', async () => {
      const csv = [
        HEADER,
        'nul.one@bad.example,Fine Name,nul-team,Nul Team,,member',
        'nul.two@bad.example,Bad\u0000Name,nul-team,Nul Team,,member',
      ].join('\n');
      const before = await tableCounts();
      const res = await post(org.orgId, csv);
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 400,
        body: { problems: [{ line: 3, column: 'name' }] },
      });
      expect(await tableCounts()).toEqual(before);
    });
  });

  describe('the request itself', () => {
    const small = toCsv([
      {
        email: 'one@small.example',
        name: 'One',
        teamKey: 'small',
        teamName: 'Small',
        department: '',
        role: 'leader',
      },
    ]);

    it('refuses a body that is not CSV with 415, writing nothing', async () => {
      const before = await tableCounts();
      const asJson = await t.http
        .post(`/organisations/${org.orgId}/roster-imports`)
        .set('authorization', `Bearer ${hr}`)
        .send({ csv: small });
      expect(asJson.status).toBe(415);
      const asBinary = await t.http
        .post(`/organisations/${org.orgId}/roster-imports`)
        .set('authorization', `Bearer ${hr}`)
        .set('content-type', 'application/octet-stream')
        .send(Buffer.from(small));
      expect(asBinary.status).toBe(415);
      expect(await tableCounts()).toEqual(before);
    });

    it("does not let one organisation's HR import into another organisation (404)", async () => {
      const before = await tableCounts();
      const res = await post(other.orgId, small);
      expect(res.status).toBe(404);
      const dry = await post(other.orgId, small, '?dryRun=true');
      expect(dry.status).toBe(404);
      expect(await tableCounts()).toEqual(before);
      // The other organisation's own HR can.
      const otherHr = await signIn(t.http, other.hr.email);
      const own = await post(other.orgId, small, '', otherHr);
      expect(own.status).toBe(200);
      expect(own.body.people).toEqual({ created: 1, updated: 0, unchanged: 0 });
    });

    it('is refused to leaders and members (403) and without a session (401)', async () => {
      const leader = await signIn(t.http, org.leader.email);
      expect((await post(org.orgId, small, '', leader)).status).toBe(403);
      const anonymous = await t.http
        .post(`/organisations/${org.orgId}/roster-imports`)
        .set('content-type', 'text/csv')
        .send(small);
      expect(anonymous.status).toBe(401);
    });

    it('names dryRun when it is not true or false', async () => {
      const res = await post(org.orgId, small, '?dryRun=yes');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['dryRun']);
    });
  });

  describe('concurrent imports', () => {
    it('two different files into the same organisation both succeed and leave a consistent state', async () => {
      const conc = await createOrg(t.app, 'roster-conc');
      const concHr = await signIn(t.http, conc.hr.email);
      const baseline = await orgCounts(conc.orgId);
      // Disjoint teams, overlapping people: both files create people the other also names.
      const a = generateRoster({ domain: 'conc.example', teamPrefix: 'alpha' });
      const b = generateRoster({ domain: 'conc.example', teamPrefix: 'beta' });
      b.rows = b.rows.filter((_, i) => i % 2 === 0);
      b.rows.push({
        email: 'only.beta@conc.example',
        name: 'Only Beta',
        teamKey: 'beta-0',
        teamName: 'Team beta 0',
        department: DEPARTMENTS[0],
        role: 'member',
      });
      const [ra, rb] = await Promise.all([
        post(conc.orgId, toCsv(a.rows), '', concHr),
        post(conc.orgId, toCsv(b.rows), '', concHr),
      ]);
      expect([ra.status, rb.status]).toEqual([200, 200]);

      const emails = new Set([...a.rows, ...b.rows].map((r) => r.email.toLowerCase()));
      const teams = new Set([...a.rows, ...b.rows].map((r) => r.teamKey));
      // Whichever ran second found the shared people and departments already there.
      expect(ra.body.people.created + rb.body.people.created).toBe(emails.size);
      expect(ra.body.departments.created + rb.body.departments.created).toBe(DEPARTMENT_COUNT);
      expect(ra.body.teams.created + rb.body.teams.created).toBe(teams.size);
      expect(ra.body.memberships.created).toBe(a.rows.length);
      expect(rb.body.memberships.created).toBe(b.rows.length);

      expect(await orgCounts(conc.orgId)).toEqual({
        people: baseline.people + emails.size,
        teams: baseline.teams + teams.size,
        departments: baseline.departments + DEPARTMENT_COUNT,
        memberships: baseline.memberships + a.rows.length + b.rows.length,
        leaders:
          baseline.leaders + [...a.rows, ...b.rows].filter((r) => r.role === 'leader').length,
      });
      expect(await membershipSet(conc.orgId, 'alpha-')).toEqual(expectedMemberships(a.rows));
      expect(await membershipSet(conc.orgId, 'beta-')).toEqual(expectedMemberships(b.rows));

      // Running both again at once changes nothing.
      const before = await snapshot();
      const again = await Promise.all([
        post(conc.orgId, toCsv(a.rows), '', concHr),
        post(conc.orgId, toCsv(b.rows), '', concHr),
      ]);
      expect(again.map((r) => r.status)).toEqual([200, 200]);
      expect(again.map((r) => r.body.people.created + r.body.people.updated)).toEqual([0, 0]);
      expect(await snapshot()).toEqual(before);
    });
  });
});
