import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

/**
 * Roster import with a dry run first, through the JSON API: the preview writes nothing and says
 * what the import would do; the confirmation applies exactly the previewed file, and only while
 * the roster is still the one the preview was computed on. Then the audit log's filters.
 */

const HEADER = 'email,name,team_key,team_name,department,role';

describe('roster preview and confirm', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000' });
    org = await createOrg(t.app, 'preview');
    other = await createOrg(t.app, 'preview-other');
    hr = await signIn(t.http, org.hr.email);
  });
  afterAll(() => t.close());

  const preview = (csv: string, orgId = org.orgId, token = hr) =>
    t.http
      .post(`/organisations/${orgId}/roster/preview`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/csv')
      .send(csv);
  const confirm = (csv: string, hash: string, orgId = org.orgId, token = hr) =>
    t.http
      .post(`/organisations/${orgId}/roster`)
      .query({ preview: hash })
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/csv')
      .send(csv);

  /** Every row of the tables an import writes, across all organisations. */
  async function snapshot() {
    const q = async (sql: string) => (await t.db.query(sql)).rows;
    return {
      person: await q(`select id, email, name, updated_at from person order by id`),
      unit: await q(`select id, parent_id, key, name, updated_at from unit order by id`),
      membership: await q(
        `select id, person_id, unit_id, role, updated_at from membership order by id`,
      ),
    };
  }

  const membershipsOf = async (orgId: string) =>
    (
      await t.db.query<{ m: string }>(
        `select p.email || ' ' || u.key || ' ' || m.role as m from membership m
           join person p on p.id = m.person_id join unit u on u.id = m.unit_id
          where m.organisation_id = $1`,
        [orgId],
      )
    ).rows
      .map((r) => r.m)
      .sort();

  // Platform (fixture: leader, other-leader, member) and Platform Data (fixture: sub-member).
  const file = [
    HEADER,
    'leader@preview.test,leader,platform,Platform,Product,leader', // 2
    'member@preview.test,Member Renamed,platform,Platform,Product,leader', // 3
    'new.one@preview.test,New One,newteam,New Team,Product / Mobile,member', // 4
    'new.two@preview.test,New Two,newteam,New Team,Product / Mobile,leader', // 5
    'new.one@preview.test,New One,platform-data,Platform Data,Product,member', // 6
  ].join('\n');

  let firstHash: string;

  it('previews without writing: people, teams and memberships added, changed and ended', async () => {
    const before = await snapshot();
    const res = await preview(file);
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);

    expect(res.body.canConfirm).toBe(true);
    expect(res.body.previewHash).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    const plan = res.body.plan;
    expect(plan.rows).toBe(5);
    expect(plan.problems).toEqual([]);
    expect(plan.people).toEqual({
      added: [
        { email: 'new.one@preview.test', name: 'New One', line: 4 },
        { email: 'new.two@preview.test', name: 'New Two', line: 5 },
      ],
      renamed: [
        {
          email: 'member@preview.test',
          name: 'Member Renamed',
          line: 3,
          before: { name: 'member' },
        },
      ],
      unchanged: 1,
      // The sub-member's only team is Platform Data, which the file lists without them.
      leavingAllTeams: [{ email: 'sub-member@preview.test', name: 'sub-member' }],
    });
    expect(plan.units.added).toEqual([
      { kind: 'department', key: 'Product', name: 'Product', parent: '', line: 2 },
      { kind: 'department', key: 'Product / Mobile', name: 'Mobile', parent: 'Product', line: 4 },
      { kind: 'team', key: 'newteam', name: 'New Team', parent: 'Product / Mobile', line: 4 },
    ]);
    expect(plan.units.changed).toEqual([
      {
        kind: 'team',
        key: 'platform',
        name: 'Platform',
        parent: 'Product',
        line: 2,
        before: { name: 'Platform', parent: 'Engineering' },
        moved: true,
      },
      {
        kind: 'team',
        key: 'platform-data',
        name: 'Platform Data',
        parent: 'Product',
        line: 6,
        before: { name: 'Platform Data', parent: 'Engineering / Platform' },
        moved: true,
      },
    ]);
    expect(
      plan.memberships.started.map(
        (m: { email: string; teamKey: string }) => `${m.email} ${m.teamKey}`,
      ),
    ).toEqual([
      'new.one@preview.test newteam',
      'new.two@preview.test newteam',
      'new.one@preview.test platform-data',
    ]);
    expect(plan.memberships.roleChanged).toEqual([
      expect.objectContaining({
        email: 'member@preview.test',
        teamKey: 'platform',
        role: 'leader',
        before: { role: 'member' },
      }),
    ]);
    expect(plan.memberships.ended).toEqual([
      {
        email: 'other-leader@preview.test',
        name: 'other-leader',
        teamKey: 'platform',
        role: 'member',
      },
      {
        email: 'sub-member@preview.test',
        name: 'sub-member',
        teamKey: 'platform-data',
        role: 'member',
      },
    ]);
    expect(plan.memberships.unchanged).toBe(1);
    firstHash = res.body.previewHash;

    // The same file and roster give the same hash.
    expect((await preview(file)).body.previewHash).toBe(firstHash);
  });

  it('refuses a changed file with 409 and writes nothing', async () => {
    const before = await snapshot();
    const changed = file.replace('New Two', 'New Too');
    const res = await confirm(changed, firstHash);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses with 409 when the roster changed since the preview, and writes nothing', async () => {
    // Someone renames a person the file names, after the preview.
    await t.db.query(`update person set name = 'Renamed Meanwhile' where email = $1`, [
      'leader@preview.test',
    ]);
    const before = await snapshot();
    const res = await confirm(file, firstHash);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'preview' })]);
    expect(await snapshot()).toEqual(before);
    await t.db.query(`update person set name = 'leader' where email = $1`, ['leader@preview.test']);
  });

  it('confirms exactly the previewed file, records who and what in the audit log', async () => {
    const res = await confirm(file, firstHash);
    expect(res.status).toBe(200);
    expect(res.body.previewHash).toBe(firstHash);
    expect(await membershipsOf(org.orgId)).toEqual(
      [
        'leader@preview.test platform leader',
        'member@preview.test platform leader',
        'new.one@preview.test newteam member',
        'new.two@preview.test newteam leader',
        'new.one@preview.test platform-data member',
        'other-leader@preview.test sales leader',
        'other-member@preview.test sales member',
      ].sort(),
    );
    const renamed = await t.db.query(`select name from person where email = 'member@preview.test'`);
    expect(renamed.rows).toEqual([{ name: 'Member Renamed' }]);
    // The sub-member left every team but is still a person of the organisation.
    const sub = await t.db.query(`select 1 from person where email = 'sub-member@preview.test'`);
    expect(sub.rowCount).toBe(1);

    const audit = await t.db.query<{
      action: string;
      actor_email: string;
      detail: Record<string, unknown>;
    }>(
      `select action, actor_email, detail from audit_event where organisation_id = $1 and action = 'roster.import'`,
      [org.orgId],
    );
    expect(audit.rows).toEqual([
      {
        action: 'roster.import',
        actor_email: org.hr.email,
        detail: {
          file: firstHash.split('.')[0],
          rows: 5,
          people: { added: 2, renamed: 1, leavingAllTeams: 1 },
          units: { added: 3, changed: 2 },
          memberships: { started: 3, roleChanged: 1, ended: 2 },
        },
      },
    ]);
  });

  it('refuses the same confirmation twice (409): the roster is no longer the previewed one', async () => {
    const before = await snapshot();
    const res = await confirm(file, firstHash);
    expect(res.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    // A new preview of the same file now changes nothing and cannot be confirmed.
    const again = await preview(file);
    expect(again.body.canConfirm).toBe(false);
    expect(again.body.previewHash).not.toBe(firstHash);
  });

  it('lists every problem by line and column: bad email, duplicate row, a team key that is a department', async () => {
    const bad = [
      HEADER,
      'fine@preview.test,Fine,probs,Problems,,member', // 2
      'not-an-email,Someone,probs,Problems,,member', // 3
      'fine@preview.test,Fine,probs,Problems,,member', // 4: the same person and team again
      'other@preview.test,Other,probs,Problems,,chief', // 5
    ].join('\n');
    const before = await snapshot();
    const res = await preview(bad);
    expect(res.status).toBe(200);
    expect(res.body.canConfirm).toBe(false);
    expect(
      res.body.plan.problems.map((p: { line: number; column: string }) => [p.line, p.column]),
    ).toEqual([
      [3, 'email'],
      [4, 'email'],
      [5, 'role'],
    ]);
    expect(res.body.plan.problems[1].message).toMatch(/line 2/);
    // Its hash confirms nothing: the file is refused with its problems.
    const refused = await confirm(bad, res.body.previewHash);
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toHaveLength(3);

    // The fixture's "eng" is a department: the file cannot make it a team.
    const clash = [HEADER, 'fine@preview.test,Fine,eng,Engineering Team,,member'].join('\n');
    const clashed = await preview(clash);
    expect(clashed.body.plan.problems).toEqual([
      {
        line: 2,
        column: 'team_key',
        message: expect.stringContaining('"eng" is the key of a department'),
      },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('names a malformed preview hash (400), refuses leaders (403) and other organisations (404)', async () => {
    const small = [HEADER, 'solo@preview.test,Solo,solo,Solo,,leader'].join('\n');
    const malformed = await confirm(small, 'abc');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field)).toEqual(['preview']);

    const before = await snapshot();
    const leader = await signIn(t.http, org.leader.email);
    expect((await preview(small, org.orgId, leader)).status).toBe(403);
    const own = await preview(small);
    expect((await confirm(small, own.body.previewHash, org.orgId, leader)).status).toBe(403);
    expect((await preview(small, other.orgId)).status).toBe(404);
    expect((await confirm(small, own.body.previewHash, other.orgId)).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the first import route working, and records its imports in the audit log too', async () => {
    const csv = [HEADER, 'direct@preview.test,Direct,direct,Direct,,leader'].join('\n');
    const dry = await t.http
      .post(`/organisations/${org.orgId}/roster-imports?dryRun=true`)
      .set('authorization', `Bearer ${hr}`)
      .set('content-type', 'text/csv')
      .send(csv);
    expect(dry.status).toBe(200);
    expect(dry.body.people).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const res = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .set('authorization', `Bearer ${hr}`)
      .set('content-type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(200);
    expect({ ...res.body, dryRun: true }).toEqual(dry.body);
    const audit = await t.db.query<{ detail: Record<string, unknown> }>(
      `select detail from audit_event where organisation_id = $1 and action = 'roster.import' order by id desc limit 1`,
      [org.orgId],
    );
    expect(audit.rows[0].detail).toMatchObject({
      withoutPreview: true,
      rows: 1,
      people: { added: 1 },
      memberships: { started: 1 },
    });
  });
});

describe('the audit log filters', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000' });
    org = await createOrg(t.app, 'auditlog');
    hr = await signIn(t.http, org.hr.email);
    const insert = (
      actor: { id: string; email: string },
      action: string,
      at: string,
      detail = {},
    ) =>
      t.db.query(
        `insert into audit_event (organisation_id, actor_person_id, actor_email, via, action, target_kind, target_id, detail, at)
         values ($1, $2, $3, 'session', $4, 'unit', $5, $6, $7)`,
        [org.orgId, actor.id, actor.email, action, org.teamId, JSON.stringify(detail), at],
      );
    await insert(org.leader, 'report.view', '2026-01-05T10:00:00Z');
    await insert(org.hr, 'export.create', '2026-01-06T23:59:00Z');
    await insert(org.admin, 'settings.update', '2026-01-07T00:00:00Z', {
      before: { minGroupSize: 5 },
      after: { minGroupSize: 7 },
    });
    await insert(org.hr, 'roster.import', '2026-01-08T12:00:00Z', { rows: 3 });
  });
  afterAll(() => t.close());

  const list = (query: Record<string, string>) =>
    t.http
      .get(`/organisations/${org.orgId}/audit`)
      .query(query)
      .set('authorization', `Bearer ${hr}`);
  const actions = (res: { body: { events: { action: string }[] } }) =>
    res.body.events.map((e) => e.action);

  it('filters by kind, person and days, newest first, with names of who and what', async () => {
    const all = await list({ from: '2026-01-01', to: '2026-01-31' });
    expect(actions(all)).toEqual([
      'roster.import',
      'settings.update',
      'export.create',
      'report.view',
    ]);
    expect(all.body.events[1]).toMatchObject({
      actor: { personId: org.admin.id, email: org.admin.email, name: 'admin', via: 'session' },
      target: { kind: 'unit', id: org.teamId, name: 'Platform' },
      detail: { before: { minGroupSize: 5 }, after: { minGroupSize: 7 } },
    });
    expect(actions(await list({ kind: 'views', to: '2026-01-31' }))).toEqual(['report.view']);
    expect(actions(await list({ kind: 'settings' }))).toEqual(['settings.update']);
    expect(actions(await list({ kind: 'roster' }))).toEqual(['roster.import']);
    expect(actions(await list({ actor: org.hr.id, to: '2026-01-31' }))).toEqual([
      'roster.import',
      'export.create',
    ]);
    // Days are whole UTC days, both ends included.
    expect(actions(await list({ from: '2026-01-06', to: '2026-01-06' }))).toEqual([
      'export.create',
    ]);
    expect(actions(await list({ from: '2026-01-07', to: '2026-01-07' }))).toEqual([
      'settings.update',
    ]);
  });

  it('pages with a cursor, keeping the filters', async () => {
    const first = await list({ to: '2026-01-31', limit: '3' });
    expect(actions(first)).toEqual(['roster.import', 'settings.update', 'export.create']);
    const second = await list({ to: '2026-01-31', limit: '3', before: first.body.nextBefore });
    expect(actions(second)).toEqual(['report.view']);
    expect(second.body.nextBefore).toBeNull();
  });

  it('names each bad filter (400)', async () => {
    const res = await list({ kind: 'everything', actor: 'me', from: '2026-02-30' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'actor',
      'from',
      'kind',
    ]);
    const backwards = await list({ from: '2026-01-08', to: '2026-01-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });
});

describe('the upload form of the import page', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000', MAX_BODY_BYTES: '4096' });
    org = await createOrg(t.app, 'upload');
    hr = await signIn(t.http, org.hr.email);
  });
  afterAll(() => t.close());

  // A bearer token needs no CSRF token, so the form can be sent as a script would.
  const upload = (bytes: Buffer, name = 'roster.csv') =>
    t.http
      .post(`/app/organisations/${org.orgId}/import/preview`)
      .set('authorization', `Bearer ${hr}`)
      .attach('file', bytes, { filename: name, contentType: 'text/csv' });
  const people = async () =>
    (
      await t.db.query(`select count(*)::int as n from person where organisation_id = $1`, [
        org.orgId,
      ])
    ).rows[0].n as number;

  it('reads a multipart file into the preview page and keeps it for the confirmation only', async () => {
    const before = await people();
    const res = await upload(
      Buffer.from(`${HEADER}\nnew@upload.test,New Person,newteam,New Team,,member\n`),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Import these changes');
    expect(res.text).toContain('new@upload.test');
    expect(await people()).toBe(before);
    const kept = await t.redis.keys(`${t.prefix}:roster-upload:${org.orgId}:*`);
    expect(kept).toEqual([`${t.prefix}:roster-upload:${org.orgId}:${org.hr.id}`]);
  });

  it('names what is wrong with the file next to the input, writing nothing', async () => {
    const before = await people();
    const big = await upload(Buffer.alloc(5000, 'a'));
    expect(big.status).toBe(413);
    expect(big.text).toContain('The file is larger than 4 KB');

    const latin1 = await upload(
      Buffer.from(`${HEADER}\njose@upload.test,José,newteam,New Team,,member\n`, 'latin1'),
    );
    expect(latin1.status).toBe(400);
    expect(latin1.text).toMatch(
      /not valid UTF-8: byte 0xE9 on line 2, column 21[^<]*Save the file as UTF-8\.</,
    );

    const xlsx = await upload(Buffer.from('PK\u0003\u0004'), 'roster.xlsx');
    expect(xlsx.status).toBe(400);
    expect(xlsx.text).toContain('This is a spreadsheet, not a CSV file');

    const none = await t.http
      .post(`/app/organisations/${org.orgId}/import/preview`)
      .set('authorization', `Bearer ${hr}`)
      .field('other', 'x');
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a CSV file to check');
    expect(await people()).toBe(before);
  });
});
