import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { PeopleService } from '@trellis/organisation';
import { createOrg, csrfFor, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

/**
 * The three secrets Trellis hands out — personal survey links, session tokens and API tokens —
 * are 256 random bits each, kept only as SHA-256 hashes (in PostgreSQL and Redis alike), and stop
 * working when they should: a link after its one answer, a session after sign-out, an API token
 * after revocation. Guessed or tampered tokens of the right shape are refused, never a 500.
 */

const SAMPLE = 64;
const SHAPE = (prefix: string) => new RegExp(`^${prefix}[A-Za-z0-9_-]{43}$`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The 256 bits of each token: every bit position must take both values across the sample (a
 * timestamp, counter or fixed part would not; for 64 random tokens the chance that a given bit
 * never changes is 2^-63), and about half of all bits are ones (8 standard deviations allowed).
 */
function expectRandomBits(tokens: string[], prefix: string): void {
  expect(new Set(tokens).size).toBe(tokens.length);
  for (const token of tokens) expect(token).toMatch(SHAPE(prefix));
  const bytes = tokens.map((t) => Buffer.from(t.slice(prefix.length), 'base64url'));
  for (const b of bytes) expect(b.length).toBe(32);
  const constant: number[] = [];
  let ones = 0;
  for (let bit = 0; bit < 256; bit++) {
    const values = new Set(bytes.map((b) => (b[bit >> 3] >> (7 - (bit & 7))) & 1));
    if (values.size === 1) constant.push(bit);
    ones += bytes.filter((b) => (b[bit >> 3] >> (7 - (bit & 7))) & 1).length;
  }
  expect(constant).toEqual([]);
  const n = tokens.length * 256;
  expect(Math.abs(ones - n / 2)).toBeLessThan(8 * Math.sqrt(n / 4));
}

describe('tokens', () => {
  let t: TestApp;
  let org: OrgFixture;
  let mailbox: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let hr: string;
  /** Unanswered personal links of the open round, one per crowd member. */
  let links: string[];
  let answers: Record<string, number>;
  const sessions: string[] = [];
  const apiTokens: { id: string; token: string }[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      SIGN_IN_LIMIT: '10000',
      SIGN_IN_ADDRESS_LIMIT: '10000',
      REQUEST_LIMIT_PER_MINUTE: '1000000',
    });
    org = await createOrg(t.app, 'tokens');
    const people = t.app.get(PeopleService);
    const crowd: string[] = [];
    for (let i = 0; i < SAMPLE + 8; i++) {
      const email = `crowd-${i}@tokens.test`;
      const person = await people.create(org.orgId, { email, name: `Crowd ${i}` });
      await people.addMembership(org.teamId, person.id, 'member');
      crowd.push(email);
    }
    await openRoundNow(t.app, org, { teamIds: [org.teamId] });
    links = crowd.map((email) => tokenOf(mailbox!.linksFor(email)[0]));
    const form = await t.http.get(`/pulse/${links[0]}`);
    expect(form.status).toBe(200);
    answers = Object.fromEntries(
      (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.min as number]),
    );

    hr = await signIn(t.http, org.hr.email);
    for (let i = 0; i < SAMPLE; i++) sessions.push(await signIn(t.http, org.leader.email));
    for (let i = 0; i < SAMPLE; i++) {
      const res = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name: `integration ${i}` });
      expect(res.status).toBe(201);
      apiTokens.push({ id: res.body.id, token: res.body.token });
    }
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  const people = () => `/organisations/${org.orgId}/people`;
  const expectRefused = (res: Response, status: number) =>
    expect({ status: res.status, body: res.body }).toMatchObject({ status });

  describe('each kind of token carries 256 random bits', () => {
    it('survey links', () => expectRandomBits(links.slice(0, SAMPLE), 'p_'));
    it('session tokens', () => expectRandomBits(sessions, 'trl_s_'));
    it('API tokens', () =>
      expectRandomBits(
        apiTokens.map((a) => a.token),
        'trl_t_',
      ));
    it('no token of one kind is ever another kind', () => {
      const all = [...links, ...sessions, ...apiTokens.map((a) => a.token), hr];
      expect(new Set(all).size).toBe(all.length);
    });
  });

  describe('only hashes are stored', () => {
    /** Every row of every table as text, so a token stored anywhere, in any column, is found. */
    async function databaseText(): Promise<string> {
      const { rows: tables } = await t.db.query<{ name: string }>(
        `select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`,
      );
      const parts: string[] = [];
      for (const { name } of tables) {
        const { rows } = await t.db.query<{ text: string | null }>(
          `select string_agg(to_jsonb(x)::text, E'\\n') as text from "${name}" x`,
        );
        parts.push(rows[0].text ?? '');
      }
      return parts.join('\n');
    }

    /** Every key and value under the app's Redis prefix. */
    async function redisText(): Promise<string> {
      const keys = await t.redis.keys(`${t.prefix}:*`);
      const parts = [...keys];
      for (const key of keys) {
        const type = await t.redis.type(key);
        if (type === 'string') parts.push((await t.redis.get(key)) ?? '');
        else if (type === 'set') parts.push(...(await t.redis.smembers(key)));
        else if (type === 'hash') parts.push(JSON.stringify(await t.redis.hgetall(key)));
        else if (type === 'list') parts.push(...(await t.redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(...(await t.redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await t.redis.xrange(key, '-', '+')));
      }
      return parts.join('\n');
    }

    it('no token, nor its random part, is in PostgreSQL or Redis; their SHA-256 hashes are', async () => {
      const db = await databaseText();
      const redis = await redisText();
      const everything = [...links, ...sessions, ...apiTokens.map((a) => a.token)];
      const found = everything.filter((token) => {
        const secret = token.slice(token.indexOf('_', 1) + 1);
        return [db, redis].some((text) => text.includes(token) || text.includes(secret));
      });
      expect(found).toEqual([]);

      const linkHashes = await t.db.query<{ h: string }>(
        'select token_hash as h from invitation_token',
      );
      expect(linkHashes.rows.map((r) => r.h)).toEqual(
        expect.arrayContaining(links.map((l) => sha256(l))),
      );
      const tokenHashes = await t.db.query<{ h: string }>('select token_hash as h from api_token');
      expect(tokenHashes.rows.map((r) => r.h)).toEqual(
        expect.arrayContaining(apiTokens.map((a) => sha256(a.token))),
      );
      for (const session of sessions.slice(0, 5))
        expect(await t.redis.exists(`${t.prefix}:session:${sha256(session)}`)).toBe(1);
    });

    it('listing API tokens shows a hint of the last four characters, never the secret', async () => {
      const res = await t.http
        .get(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${hr}`);
      expect(res.status).toBe(200);
      for (const { token } of apiTokens) expect(res.text).not.toContain(token.slice(6, 20));
      const hints = (res.body as { tokenHint: string }[]).map((r) => r.tokenHint);
      expect(hints).toEqual(expect.arrayContaining(apiTokens.map((a) => `…${a.token.slice(-4)}`)));
    });
  });

  describe('a personal link answers once', () => {
    it('a second, different answer, by the API or the page, is refused and stores nothing', async () => {
      const link = links.pop()!;
      const stored = async () =>
        (
          await t.db.query<{ n: number }>(
            `select (select count(*) from response_pool)::int + (select count(*) from response)::int as n`,
          )
        ).rows[0].n;
      const before = await stored();
      const first = await t.http.post(`/pulse/${link}`).send({ answers });
      expect(first.status).toBe(201);
      expect(await stored()).toBe(before + 1);

      // The same answer again is the client retrying after a lost response: acknowledged, not stored twice.
      const again = await t.http.post(`/pulse/${link}`).send({ answers });
      expect({ status: again.status, body: again.body }).toEqual({
        status: first.status,
        body: first.body,
      });
      const other = Object.fromEntries(
        Object.entries(answers).map(([k, v]) => [k, v === 1 ? 2 : 1]),
      );
      expectRefused(await t.http.post(`/pulse/${link}`).send({ answers: other }), 409);
      expectRefused(await t.http.get(`/pulse/${link}`), 409);
      const page = await t.http
        .post(`/r/${link}`)
        .type('form')
        .send(
          Object.fromEntries(Object.entries(other).map(([k, v]) => [`answers[${k}]`, String(v)])),
        );
      expect(page.status).toBe(409);
      expect(page.text).toContain('You have already answered');
      expect(await stored()).toBe(before + 1);
    });

    it('four different answers sent at once store exactly one', async () => {
      const link = links.pop()!;
      const answered = async () =>
        (await t.db.query<{ n: number }>('select count(*)::int as n from participation')).rows[0].n;
      const before = await answered();
      const results = await Promise.all(
        [1, 2, 3, 4].map((value) =>
          t.http
            .post(`/pulse/${link}`)
            .send({ answers: Object.fromEntries(Object.keys(answers).map((k) => [k, value])) }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await answered()).toBe(before + 1);
    });

    it('the same answer sent four times at once is stored once and acknowledged each time', async () => {
      const link = links.pop()!;
      const answered = async () =>
        (await t.db.query<{ n: number }>('select count(*)::int as n from participation')).rows[0].n;
      const before = await answered();
      const results = await Promise.all(
        Array.from({ length: 4 }, () => t.http.post(`/pulse/${link}`).send({ answers })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(await answered()).toBe(before + 1);
    });
  });

  describe('sessions end', () => {
    it('after sign-out the token no longer works, as a bearer or as a cookie', async () => {
      const token = await signIn(t.http, org.leader.email);
      expect((await t.http.get('/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(
        200,
      );
      expect(
        (await t.http.post('/auth/sign-out').set('authorization', `Bearer ${token}`)).status,
      ).toBe(204);
      expectRefused(await t.http.get('/auth/me').set('authorization', `Bearer ${token}`), 401);
      expectRefused(await t.http.get('/auth/me').set('cookie', `trellis_session=${token}`), 401);
      expectRefused(
        await t.http.get(`/units/${org.teamId}`).set('authorization', `Bearer ${token}`),
        401,
      );
      // Signing out again with it is refused too, not an error.
      expectRefused(
        await t.http.post('/auth/sign-out').set('authorization', `Bearer ${token}`),
        401,
      );
    });

    it("after the web page's sign-out the cookie no longer works", async () => {
      const token = await signIn(t.http, org.leader.email);
      // Without the page's CSRF token a sign-out (posted by another site, say) is refused.
      const forged = await t.http.post('/sign-out').set('cookie', `trellis_session=${token}`);
      expect(forged.status).toBe(403);
      const out = await t.http
        .post('/sign-out')
        .set('cookie', `trellis_session=${token}`)
        .type('form')
        .send({ _csrf: await csrfFor(t.http, token) });
      expect(out.status).toBe(303);
      expect(String(out.headers['set-cookie'])).toMatch(/trellis_session=;/);
      const home = await t.http
        .get('/app')
        .set({ cookie: `trellis_session=${token}`, accept: 'text/html' });
      expect({ status: home.status, location: home.headers.location }).toEqual({
        status: 303,
        location: '/sign-in',
      });
    });

    it("a password change ends the person's other sessions, not the one that changed it", async () => {
      const person = await t.app
        .get(PeopleService)
        .create(org.orgId, { email: 'changer@tokens.test', name: 'Changer' });
      await t.http
        .put(`/people/${person.id}/password`)
        .set('authorization', `Bearer ${await signIn(t.http, org.admin.email)}`)
        .send({ password: PASSWORD })
        .expect(204);
      const other = await signIn(t.http, 'changer@tokens.test');
      const mine = await signIn(t.http, 'changer@tokens.test');
      await t.http
        .put('/auth/password')
        .set('authorization', `Bearer ${mine}`)
        .send({ currentPassword: PASSWORD, newPassword: 'a different passphrase' })
        .expect(204);
      expectRefused(await t.http.get('/auth/me').set('authorization', `Bearer ${other}`), 401);
      expect((await t.http.get('/auth/me').set('authorization', `Bearer ${mine}`)).status).toBe(
        200,
      );
    });
  });

  describe('API tokens end', () => {
    it('a revoked API token no longer works, and revoking it again changes nothing', async () => {
      const { id, token } = apiTokens[0];
      expect((await t.http.get(people()).set('authorization', `Bearer ${token}`)).status).toBe(200);
      const revoked = await t.http.delete(`/api-tokens/${id}`).set('authorization', `Bearer ${hr}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expectRefused(await t.http.get(people()).set('authorization', `Bearer ${token}`), 401);
      expectRefused(await t.http.get('/auth/me').set('authorization', `Bearer ${token}`), 401);
      expectRefused(await t.http.get(people()).set('cookie', `trellis_session=${token}`), 401);
      const again = await t.http.delete(`/api-tokens/${id}`).set('authorization', `Bearer ${hr}`);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
      expectRefused(await t.http.get(people()).set('authorization', `Bearer ${token}`), 401);
    });

    it('an API token cannot sign out, and signing out does not revoke it', async () => {
      const { token } = apiTokens[1];
      await t.http.post('/auth/sign-out').set('authorization', `Bearer ${token}`);
      expect((await t.http.get(people()).set('authorization', `Bearer ${token}`)).status).toBe(200);
    });
  });

  describe('guessed and tampered tokens', () => {
    const shaped = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => Buffer.from(bytes).toString('base64url'));

    it('random tokens of the right shape are refused: 401 as credentials, 404 as links', async () => {
      await fc.assert(
        fc.asyncProperty(shaped, fc.constantFrom('trl_s_', 'trl_t_'), async (secret, prefix) => {
          const token = `${prefix}${secret}`;
          expectRefused(await t.http.get(people()).set('authorization', `Bearer ${token}`), 401);
          expectRefused(
            await t.http.get('/auth/me').set('cookie', `trellis_session=${token}`),
            401,
          );
        }),
        { numRuns: 40 },
      );
      await fc.assert(
        fc.asyncProperty(shaped, async (secret) => {
          const link = `p_${secret}`;
          expectRefused(await t.http.get(`/pulse/${link}`), 404);
          expectRefused(await t.http.post(`/pulse/${link}`).send({ answers }), 404);
          expect((await t.http.get(`/r/${link}`)).status).toBe(404);
        }),
        { numRuns: 40 },
      );
    });

    it('a real token with one character changed, or used as the wrong kind, is refused', async () => {
      const flip = (token: string, at: number) =>
        `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      const session = sessions[1];
      const api = apiTokens[2].token;
      const link = links[links.length - 1];
      for (const at of [6, 20, session.length - 1]) {
        expectRefused(
          await t.http.get('/auth/me').set('authorization', `Bearer ${flip(session, at)}`),
          401,
        );
        expectRefused(
          await t.http.get(people()).set('authorization', `Bearer ${flip(api, at)}`),
          401,
        );
        expectRefused(await t.http.get(`/pulse/${flip(link, at - 4)}`), 404);
      }
      // The secret part under another prefix, and the hash instead of the secret.
      const secretOf = (token: string) => token.slice(token.indexOf('_', 1) + 1);
      expectRefused(
        await t.http.get('/auth/me').set('authorization', `Bearer trl_t_${secretOf(session)}`),
        401,
      );
      expectRefused(
        await t.http.get('/auth/me').set('authorization', `Bearer trl_s_${secretOf(api)}`),
        401,
      );
      expectRefused(await t.http.get('/auth/me').set('authorization', `Bearer ${link}`), 401);
      expectRefused(await t.http.get(`/pulse/p_${secretOf(session)}`), 404);
      expectRefused(await t.http.get(`/pulse/${sha256(link)}`), 404);
      expectRefused(
        await t.http.get('/auth/me').set('authorization', `Bearer ${sha256(session)}`),
        401,
      );
      // The originals still work: nothing above was a near miss that counted.
      expect((await t.http.get('/auth/me').set('authorization', `Bearer ${session}`)).status).toBe(
        200,
      );
      expect((await t.http.get(`/pulse/${link}`)).status).toBe(200);
    });

    it('tokens of any other shape are refused without a 500', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 80 }),
            fc
              .constantFrom('trl_s_', 'trl_t_', 'p_')
              .chain((p) =>
                fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => `${p}${s}`),
              ),
            fc.constant(`trl_s_${randomBytes(300).toString('base64url')}`),
          ),
          async (raw) => {
            const token = raw.replace(/[^\x21-\x7e]/g, '');
            const bearer = await t.http.get('/auth/me').set('authorization', `Bearer ${token}`);
            expect(bearer.status).toBe(401);
            const link = await t.http.get(`/pulse/${encodeURIComponent(token)}`);
            expect([404]).toContain(link.status);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
