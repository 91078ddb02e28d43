import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * What a leaked API token cannot do: mint a successor that outlives its revocation, or make more
 * admins. And the older admin routes (set roles, set a password) leave an audit entry like the
 * console's.
 */
describe('API token limits and the older admin routes in the audit log', () => {
  let t: TestApp;
  let org: OrgFixture;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'tokenlimits');
    const admin = await signIn(t.http, org.admin.email);
    const created = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'integration' });
    expect(created.status).toBe(201);
    token = created.body.token;
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.query(sql, params)).rows[0].count);

  it('refuses a token made with a token, and writes none', async () => {
    const before = await count(`select count(*) from api_token`);
    const res = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'successor' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/API token cannot create API tokens/);
    expect(await count(`select count(*) from api_token`)).toBe(before);
  });

  it('refuses a role granted with a token, and grants nothing', async () => {
    const res = await t.http
      .put(`/organisations/${org.orgId}/people/${org.member.id}/roles/admin`)
      .set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(
      await count(`select count(*) from organisation_role where person_id = $1`, [org.member.id]),
    ).toBe(0);
  });

  it('audits roles and passwords set through the older admin routes', async () => {
    const admin = await signIn(t.http, org.admin.email);
    const roles = await t.http
      .put(`/people/${org.member.id}/roles`)
      .set('authorization', `Bearer ${admin}`)
      .send({ roles: ['hr'] });
    expect(roles.status).toBe(200);
    const password = await t.http
      .put(`/people/${org.member.id}/password`)
      .set('authorization', `Bearer ${admin}`)
      .send({ password: 'a long enough password' });
    expect(password.status).toBe(204);
    const actions = (
      await t.db.query<{ action: string }>(
        `select action from audit_event where organisation_id = $1 and target_id = $2 order by id`,
        [org.orgId, org.member.id],
      )
    ).rows.map((r) => r.action);
    expect(actions).toEqual(['person.roles_set', 'person.password_set_by_admin']);
  });
});
