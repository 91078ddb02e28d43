import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The organisation's results epoch moves with every change of results' inputs, in the same
 * transaction, and never with a change that leaves them as they were: a no-op re-derives nothing.
 */
describe('the results basis: what makes results stale, and what does not', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;
  let admin: string;

  const epoch = async (): Promise<number> =>
    Number(
      (await t.db.query('select results_epoch from organisation where id = $1', [org.orgId]))
        .rows[0].results_epoch,
    );
  const roster = (department: string) =>
    [
      'email,name,team_key,team_name,department,role',
      `ana@basis.test,Ana,billing,Billing,${department},member`,
      `bo@basis.test,Bo,billing,Billing,${department},leader`,
    ].join('\n');
  const importRoster = async (csv: string) => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(csv);
    expect(res.status).toBe(200);
  };
  const putSettings = async (body: object) => {
    const res = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send(body);
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'basis');
    hr = await signIn(t.http, org.hr.email);
    admin = await signIn(t.http, org.admin.email);
  });
  afterAll(() => t.close());

  it('a unit move changes it; a new empty unit and a rename do not', async () => {
    const before = await epoch();
    const created = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'Ops', key: 'ops', kind: 'department' });
    expect(created.status).toBe(201);
    const renamed = await t.http
      .patch(`/units/${org.otherTeamId}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'Sales and Marketing' });
    expect(renamed.status).toBe(200);
    expect(await epoch()).toBe(before);
    const moved = await t.http
      .patch(`/units/${org.otherTeamId}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ parentId: created.body.id });
    expect(moved.status).toBe(200);
    expect(await epoch()).toBe(before + 1);
  });

  it('a roster import that moves a team changes it; the same file again does not', async () => {
    await importRoster(roster('Finance'));
    const before = await epoch();
    await importRoster(roster('Finance'));
    expect(await epoch()).toBe(before);
    await importRoster(roster('Finance / Payments'));
    expect(await epoch()).toBe(before + 1);
    // A dry run changes nothing.
    const dry = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .query({ dryRun: 'true' })
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(roster('Finance'));
    expect(dry.status).toBe(200);
    expect(await epoch()).toBe(before + 1);
  });

  it('k and the flag thresholds change it; identical settings and notification settings do not', async () => {
    await putSettings({ anonymity: { minGroupSize: 5, minCommentGroup: 10 } });
    const before = await epoch();
    await putSettings({ anonymity: { minGroupSize: 5, minCommentGroup: 10 } });
    await putSettings({
      anonymity: { minGroupSize: 5, minCommentGroup: 10 },
      notifications: { notifyHr: true },
    });
    expect(await epoch()).toBe(before);
    await putSettings({
      anonymity: { minGroupSize: 5, minCommentGroup: 10 },
      notifications: { notifyHr: true },
      flags: { micromanagement: { controlAtLeast: 3.8 } },
    });
    expect(await epoch()).toBe(before + 1);
    await putSettings({
      anonymity: { minGroupSize: 6, minCommentGroup: 10 },
      notifications: { notifyHr: true },
      flags: { micromanagement: { controlAtLeast: 3.8 } },
    });
    expect(await epoch()).toBe(before + 2);
  });
});
