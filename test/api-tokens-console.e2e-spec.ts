import { createHash } from 'node:crypto';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no form with a CSRF token');
  return match[1];
}

const SECRET = /trl_t_[A-Za-z0-9_-]{43}/;

/**
 * API tokens through the JSON API and the tokens page, one service behind both: the secret is
 * shown once, the list says when each token was last used, revoking stops it at once, and both
 * are in the audit log.
 */
describe('API tokens in the console', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let admin: string;
  let hr: string;
  let leader: string;
  let otherAdmin: string;

  beforeAll(async () => {
    t = await createTestApp({
      REQUEST_LIMIT_PER_MINUTE: '100000',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
    });
    org = await createOrg(t.app, 'console-tokens');
    other = await createOrg(t.app, 'console-tokens-other');
    admin = await signIn(t.http, org.admin.email);
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    otherAdmin = await signIn(t.http, other.admin.email);
  });
  afterAll(async () => {
    await t?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookie = (token: string) => ({ cookie: `trellis_session=${token}` });
  const tokensPage = (session: string, orgId = org.orgId) =>
    t.http.get(`/app/organisations/${orgId}/tokens`).set(cookie(session));
  const auditOf = async (action: string, targetId: string) =>
    (
      await t.db.query<{ actor_person_id: string; detail: Record<string, unknown> }>(
        `select actor_person_id, detail from audit_event where action = $1 and target_id = $2 order by id`,
        [action, targetId],
      )
    ).rows;
  async function postForm(session: string, path: string, form: Record<string, string>) {
    const csrf = csrfOf((await tokensPage(session)).text);
    return t.http
      .post(path)
      .set(cookie(session))
      .type('form')
      .send({ _csrf: csrf, ...form });
  }

  it('creates a token whose secret is in the answer only, records last use, and revokes it', async () => {
    const created = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set(bearer(hr))
      .send({ name: '  Power BI refresh ' });
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    expect(created.body).toMatchObject({ name: 'Power BI refresh', lastUsedAt: null });
    expect(created.body.tokenHint).toBe(`…${token.slice(-4)}`);
    // Only its hash is kept.
    const row = (await t.db.query('select token_hash from api_token where id = $1', [id]))
      .rows[0] as { token_hash: string };
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row.token_hash).not.toContain(token);

    const listed = await t.http.get(`/organisations/${org.orgId}/api-tokens`).set(bearer(hr));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.find((x: { id: string }) => x.id === id).lastUsedAt).toBeNull();

    const started = Date.now();
    expect((await t.http.get('/auth/me').set(bearer(token))).status).toBe(200);
    const used = (
      await t.http.get(`/organisations/${org.orgId}/api-tokens`).set(bearer(hr))
    ).body.find((x: { id: string }) => x.id === id);
    expect(new Date(used.lastUsedAt).getTime()).toBeGreaterThanOrEqual(started - 1000);

    expect(await auditOf('api_token.create', id)).toEqual([
      {
        actor_person_id: org.hr.id,
        detail: { name: 'Power BI refresh', tokenHint: created.body.tokenHint },
      },
    ]);

    const revoked = await t.http.delete(`/api-tokens/${id}`).set(bearer(admin));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await t.http.get('/auth/me').set(bearer(token))).status).toBe(401);
    // Revoking again is harmless and is not a second entry.
    expect((await t.http.delete(`/api-tokens/${id}`).set(bearer(admin))).status).toBe(200);
    expect(await auditOf('api_token.revoke', id)).toEqual([
      {
        actor_person_id: org.admin.id,
        detail: { name: 'Power BI refresh', tokenHint: created.body.tokenHint },
      },
    ]);
  });

  it('refuses a token without a name, naming the field, and makes none', async () => {
    const count = async () =>
      Number((await t.db.query('select count(*) from api_token')).rows[0].count);
    const before = await count();
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const res = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set(bearer(admin))
        .send({ name });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('name');
    }
    const page = await postForm(admin, `/app/organisations/${org.orgId}/tokens`, { name: '  ' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('must be 1 to 100 characters');
    expect(page.text).toContain('href="#name"');
    expect(await count()).toBe(before);
  });

  it('the page creates a token, shows the secret once and never again, then revokes it after asking', async () => {
    const created = await postForm(admin, `/app/organisations/${org.orgId}/tokens`, {
      name: 'Nightly sync',
    });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const secret = SECRET.exec(created.text.replace(/<[^>]+>/g, ' '))?.[0];
    expect(secret).toBeDefined();
    expect(created.text).toContain('This is the only time it is shown');
    expect((await t.http.get('/auth/me').set(bearer(secret!))).status).toBe(200);

    const list = await tokensPage(admin);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Nightly sync');
    expect(list.text).not.toContain(secret!);
    const { id } = (
      await t.db.query<{ id: string }>(`select id from api_token where name = 'Nightly sync'`)
    ).rows[0];
    expect(list.text).toContain(`/app/api-tokens/${id}/revoke`);
    // Created and last used (not "never"): two times in its row.
    const row = /<tr><th scope="row">Nightly sync<\/th>(.*?)<\/tr>/s.exec(list.text)?.[1] ?? '';
    expect(row.match(/<time /g)).toHaveLength(2);
    expect(row).not.toContain('never');
    // No page shows the secret again, whatever is asked.
    const confirm = await t.http.get(`/app/api-tokens/${id}/revoke`).set(cookie(admin));
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Revoke “Nightly sync”?');
    expect(confirm.text).not.toContain(secret!);

    const revoked = await t.http
      .post(`/app/api-tokens/${id}/revoke`)
      .set(cookie(admin))
      .type('form')
      .send({ _csrf: csrfOf(confirm.text) });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe(`/app/organisations/${org.orgId}/tokens?revoked=${id}`);
    expect((await t.http.get('/auth/me').set(bearer(secret!))).status).toBe(401);
    const after = await t.http.get(revoked.headers.location).set(cookie(admin));
    expect(after.text).toContain('Revoked “Nightly sync”: it no longer works.');
    expect(await auditOf('api_token.revoke', id)).toHaveLength(1);
  });

  it('refuses a revocation without the CSRF token', async () => {
    const made = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set(bearer(admin))
      .send({ name: 'kept' });
    const res = await t.http
      .post(`/app/api-tokens/${made.body.id}/revoke`)
      .set(cookie(admin))
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    expect((await t.http.get('/auth/me').set(bearer(made.body.token))).status).toBe(200);
  });

  it('keeps the access rules: a leader is refused, another organisation finds nothing', async () => {
    const made = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set(bearer(admin))
      .send({ name: 'ours' });
    expect((await tokensPage(leader)).status).toBe(403);
    expect(
      (await t.http.get(`/organisations/${org.orgId}/api-tokens`).set(bearer(leader))).status,
    ).toBe(403);
    expect(
      (await t.http.get(`/app/api-tokens/${made.body.id}/revoke`).set(cookie(leader))).status,
    ).toBe(403);
    expect((await tokensPage(otherAdmin, org.orgId)).status).toBe(404);
    const theirs = await t.http
      .get(`/app/api-tokens/${made.body.id}/revoke`)
      .set(cookie(otherAdmin));
    expect(theirs.status).toBe(404);
    expect(theirs.text).not.toContain('ours');
    const ownPage = await tokensPage(otherAdmin, other.orgId);
    const csrf = csrfOf(ownPage.text);
    const revokeTheirs = await t.http
      .post(`/app/api-tokens/${made.body.id}/revoke`)
      .set(cookie(otherAdmin))
      .type('form')
      .send({ _csrf: csrf });
    expect(revokeTheirs.status).toBe(404);
    expect((await t.http.get('/auth/me').set(bearer(made.body.token))).status).toBe(200);
    // HR may manage tokens, as the API has always allowed.
    expect((await tokensPage(hr)).status).toBe(200);
  });
});
