import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

describe('sign-in, sessions and API tokens', () => {
  let t: TestApp;
  let org: OrgFixture;

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT: '5', SIGN_IN_WINDOW_SECONDS: '60' });
    org = await createOrg(t.app, 'auth');
  });
  afterAll(() => t.close());

  it('signs in with email and password, returning a bearer token and an HttpOnly SameSite cookie', async () => {
    const res = await t.http
      .post('/auth/sign-in')
      .send({ email: org.hr.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^trl_s_[A-Za-z0-9_-]{43}$/);
    expect(res.body.person).toMatchObject({
      email: org.hr.email,
      roles: ['hr'],
      organisationId: org.orgId,
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/trellis_session=trl_s_/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const viaBearer = await t.http.get('/auth/me').set('authorization', `Bearer ${res.body.token}`);
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toMatchObject({ personId: org.hr.id, via: 'session' });
    const viaCookie = await t.http
      .get('/auth/me')
      .set('cookie', `trellis_session=${res.body.token}`);
    expect(viaCookie.body.personId).toBe(org.hr.id);
  });

  it('keeps sessions in Redis under the installation prefix, hashed', async () => {
    const token = await signIn(t.http, org.leader.email);
    const keys = await t.redis.keys(`${t.prefix}:session:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toContain(token);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await t.http
      .post('/auth/sign-in')
      .send({ email: org.admin.email, password: 'not the password' });
    const unknown = await t.http
      .post('/auth/sign-in')
      .send({ email: 'nobody@auth.test', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('refuses people without a password (members answer by link, not by account)', async () => {
    const res = await t.http
      .post('/auth/sign-in')
      .send({ email: org.subMember.email, password: PASSWORD });
    expect(res.status).toBe(401);
  });

  it('names the field when the sign-in body is malformed', async () => {
    const res = await t.http.post('/auth/sign-in').send({ email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('signs out: the token stops working', async () => {
    const token = await signIn(t.http, org.leader.email);
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
    expect(
      (await t.http.post('/auth/sign-out').set('authorization', `Bearer ${token}`)).status,
    ).toBe(204);
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('rejects garbage and malformed Authorization headers with 401', async () => {
    expect((await t.http.get('/auth/me').set('authorization', 'Bearer trl_s_forged')).status).toBe(
      401,
    );
    expect((await t.http.get('/auth/me').set('authorization', 'Basic abc')).status).toBe(401);
    expect((await t.http.get('/auth/me')).status).toBe(401);
  });

  it('changes a password, ending other sessions but not the current one', async () => {
    const current = await signIn(t.http, org.member.email);
    const other = await signIn(t.http, org.member.email);
    const res = await t.http
      .put('/auth/password')
      .set('authorization', `Bearer ${current}`)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(204);
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${current}`)).status).toBe(
      200,
    );
    expect((await t.http.get('/auth/me').set('authorization', `Bearer ${other}`)).status).toBe(401);
    expect(
      (await t.http.post('/auth/sign-in').send({ email: org.member.email, password: PASSWORD }))
        .status,
    ).toBe(401);
    await signIn(t.http, org.member.email, 'a brand new passphrase');
  });

  describe('API tokens', () => {
    it('are shown once, stored hashed, work as bearer tokens and stop working when revoked', async () => {
      const hr = await signIn(t.http, org.hr.email);
      const created = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name: 'BI refresh' });
      expect(created.status).toBe(201);
      const secret: string = created.body.token;
      expect(secret).toMatch(/^trl_t_/);

      const stored = await t.db.query(
        'select token_hash, token_hint from api_token where id = $1',
        [created.body.id],
      );
      expect(stored.rows[0].token_hash).not.toContain(secret);
      expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(secret.endsWith(stored.rows[0].token_hint.slice(1))).toBe(true);

      const listed = await t.http
        .get(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${hr}`);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(listed.body[0]).toMatchObject({ name: 'BI refresh', revokedAt: null });

      const used = await t.http
        .get(`/organisations/${org.orgId}/people`)
        .set('authorization', `Bearer ${secret}`);
      expect(used.status).toBe(200);
      const me = await t.http.get('/auth/me').set('authorization', `Bearer ${secret}`);
      expect(me.body).toMatchObject({ personId: org.hr.id, via: 'api_token' });

      const revoked = await t.http
        .delete(`/api-tokens/${created.body.id}`)
        .set('authorization', `Bearer ${hr}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect((await t.http.get('/auth/me').set('authorization', `Bearer ${secret}`)).status).toBe(
        401,
      );
    });

    it('cannot be created by a leader', async () => {
      const leader = await signIn(t.http, org.leader.email);
      const res = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${leader}`)
        .send({ name: 'mine' });
      expect(res.status).toBe(403);
      expect(
        (await t.db.query('select count(*)::int as n from api_token where name = $1', ['mine']))
          .rows[0].n,
      ).toBe(0);
    });
  });

  it('rate-limits sign-in attempts per account and address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.http
        .post('/auth/sign-in')
        .send({ email: org.otherLeader.email, password: 'guess' + i });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right password is refused until the window passes.
    expect(
      (
        await t.http
          .post('/auth/sign-in')
          .send({ email: org.otherLeader.email, password: PASSWORD })
      ).status,
    ).toBe(429);
    // The web form shares the same counter: it is no way around the limit.
    const form = await t.http
      .post('/sign-in')
      .type('form')
      .send({ email: org.otherLeader.email, password: PASSWORD });
    expect(form.status).toBe(429);
    // Another account from the same address is unaffected.
    expect(
      (await t.http.post('/auth/sign-in').send({ email: org.admin.email, password: PASSWORD }))
        .status,
    ).toBe(200);
  });
});
