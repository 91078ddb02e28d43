import { createOrg, csrfFor, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Cross-site request forgery, as the issue reproduced it on the old build: a page on
 * evil.example made a signed-in admin's browser create an API token (form-encoded), create a
 * person, and run a roster import sent as text/plain. Each is refused now, and the same request
 * with the page's token (or a bearer token) still works.
 */
describe('CSRF: cookie-authenticated changes need the page token', () => {
  let t: TestApp;
  let org: OrgFixture;
  let session: string;
  const cookie = () => `trellis_session=${session}`;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'csrf');
    session = await signIn(t.http, org.admin.email);
  });
  afterAll(() => t.close());

  const tokenCount = async () =>
    Number((await t.db.query(`select count(*) from api_token`)).rows[0].count);
  const personCount = async () =>
    Number(
      (await t.db.query(`select count(*) from person where email like 'forged%'`)).rows[0].count,
    );

  it('refuses an API token created by a form on another site, and writes nothing', async () => {
    const before = await tokenCount();
    const res = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('cookie', cookie())
      .set('origin', 'https://evil.example')
      .type('form')
      .send({ name: 'forged' });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([{ field: '_csrf', message: 'sent from another site' }]);
    expect(await tokenCount()).toBe(before);
  });

  it('refuses a person created with the cookie alone, with a wrong token, or with another session token', async () => {
    const send = (headers: Record<string, string>) =>
      t.http
        .post(`/organisations/${org.orgId}/people`)
        .set({ cookie: cookie(), ...headers })
        .send({ email: 'forged@csrf.test', name: 'Forged' });
    expect((await send({})).status).toBe(403);
    expect((await send({ 'x-csrf-token': 'guess' })).status).toBe(403);
    const someoneElse = await signIn(t.http, org.hr.email);
    expect((await send({ 'x-csrf-token': await csrfFor(t.http, someoneElse) })).status).toBe(403);
    expect(await personCount()).toBe(0);

    const ok = await send({ 'x-csrf-token': await csrfFor(t.http, session) });
    expect(ok.status).toBe(201);
    expect(await personCount()).toBe(1);
  });

  it('refuses a roster import sent as text/plain with the cookie', async () => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .set('cookie', cookie())
      .set('content-type', 'text/plain')
      .send('email,name,team_key,team_name,role\nforged2@csrf.test,F,platform,Platform,member\n');
    expect(res.status).toBe(403);
    expect(await personCount()).toBe(1);
  });

  it('needs no CSRF token with a bearer token, which no browser sends by itself', async () => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${session}`)
      .send({ name: 'script' });
    expect(res.status).toBe(201);
  });

  it('refuses a cross-site request even with a valid token', async () => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set({ cookie: cookie(), 'x-csrf-token': await csrfFor(t.http, session) })
      .set('sec-fetch-site', 'cross-site')
      .send({ name: 'forged' });
    expect(res.status).toBe(403);
  });

  it('takes only JSON at POST /auth/sign-in, so no form on another site can sign a browser in', async () => {
    const form = await t.http
      .post('/auth/sign-in')
      .type('form')
      .send({ email: org.hr.email, password: PASSWORD });
    expect(form.status).toBe(415);
    expect(String(form.headers['set-cookie'] ?? '')).not.toContain('trellis_session');
  });

  it('refuses the sign-in form without the token of the pre-session cookie it was served with', async () => {
    const page = await t.http.get('/sign-in');
    const pre = String(page.headers['set-cookie']).split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const post = (cookies: string, csrf?: string) =>
      t.http
        .post('/sign-in')
        .set('cookie', cookies)
        .type('form')
        .send({ email: org.hr.email, password: PASSWORD, ...(csrf ? { _csrf: csrf } : {}) });
    expect((await post(pre)).status).toBe(403);
    expect((await post('trellis_pre=' + 'a'.repeat(43), token)).status).toBe(403);
    const ok = await post(pre, token);
    expect(ok.status).toBe(303);
    expect(String(ok.headers['set-cookie'])).toContain('trellis_session=');
  });

  it('makes the token of a signed-out session worthless', async () => {
    const mine = await signIn(t.http, org.hr.email);
    const csrf = await csrfFor(t.http, mine);
    const out = await t.http
      .post('/sign-out')
      .set('cookie', `trellis_session=${mine}`)
      .type('form')
      .send({ _csrf: csrf });
    expect(out.status).toBe(303);
    const after = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set({ cookie: `trellis_session=${mine}`, 'x-csrf-token': csrf })
      .send({ name: 'after sign-out' });
    expect(after.status).toBe(401);
  });
});
