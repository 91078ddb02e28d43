import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * An HR API token acts as the person who made it, so it must stop working when that person's
 * access does: their sign-in removed, or the HR or admin role taken away. Before, a token
 * outlived the removal of its owner's sign-in.
 */
describe('API tokens end with their owner access', () => {
  let t: TestApp;
  let org: OrgFixture;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT: '1000', SIGN_IN_ADDRESS_LIMIT: '1000' });
    org = await createOrg(t.app, 'offboard');
    admin = await signIn(t.http, org.admin.email);
  });
  afterAll(() => t?.close());

  /** A fresh HR person with a token of their own. */
  async function hrWithToken(local: string) {
    const person = await t.http
      .post(`/organisations/${org.orgId}/people`)
      .set('authorization', `Bearer ${admin}`)
      .send({ email: `${local}@offboard.test`, name: local });
    expect(person.status).toBe(201);
    const id = person.body.id as string;
    expect(
      (
        await t.http
          .put(`/people/${id}/password`)
          .set('authorization', `Bearer ${admin}`)
          .send({ password: PASSWORD })
      ).status,
    ).toBe(204);
    expect(
      (
        await t.http
          .put(`/people/${id}/roles`)
          .set('authorization', `Bearer ${admin}`)
          .send({ roles: ['hr'] })
      ).status,
    ).toBe(200);
    const session = await signIn(t.http, `${local}@offboard.test`);
    const created = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${session}`)
      .send({ name: 'BI refresh' });
    expect(created.status).toBe(201);
    return { id, token: created.body.token as string };
  }

  const readData = (token: string) =>
    t.http.get(`/organisations/${org.orgId}/data/trends`).set('authorization', `Bearer ${token}`);

  it('a token stops working when its owner can no longer sign in', async () => {
    const { id, token } = await hrWithToken('leaver');
    expect((await readData(token)).status).toBe(200);
    const removed = await t.http
      .put(`/people/${id}/password`)
      .set('authorization', `Bearer ${admin}`)
      .send({ password: null });
    expect(removed.status).toBe(204);
    const after = await readData(token);
    expect(after.status).toBe(401);
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('a token stops working when its owner loses the HR role', async () => {
    const { id, token } = await hrWithToken('mover');
    expect((await readData(token)).status).toBe(200);
    const demoted = await t.http
      .put(`/people/${id}/roles`)
      .set('authorization', `Bearer ${admin}`)
      .send({ roles: [] });
    expect(demoted.status).toBe(200);
    expect((await readData(token)).status).toBe(401);
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('a token of someone who still has access keeps working', async () => {
    const { token } = await hrWithToken('stayer');
    expect((await readData(token)).status).toBe(200);
    expect((await readData(token)).status).toBe(200);
  });
});
