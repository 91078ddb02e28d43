import { AuthService } from '@trellis/identity';
import { OrganisationsService, PeopleService } from '@trellis/organisation';
import { createOrg, PASSWORD, type OrgFixture, signInFormFor } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const WRONG = { statusCode: 401, message: 'email or password is wrong' };

/**
 * Sign-in says nothing about an email before its password is checked: not whether it exists, not
 * in how many organisations. Attempts are counted per address across emails, and the address is
 * the connection's own unless TRUST_PROXY says a proxy in front may name another.
 */
describe('sign-in: enumeration and limits', () => {
  describe('what a wrong password learns', () => {
    let t: TestApp;
    let org: OrgFixture;
    const shared = 'shared@two-orgs.test';
    const otherPassword = 'another organisation password';

    beforeAll(async () => {
      t = await createTestApp({ SIGN_IN_LIMIT: '1000', SIGN_IN_ADDRESS_LIMIT: '1000' });
      org = await createOrg(t.app, 'enum-a');
      const second = await t.app.get(OrganisationsService).create({ slug: 'enum-b', name: 'B' });
      const people = t.app.get(PeopleService);
      const auth = t.app.get(AuthService);
      const inA = await people.create(org.orgId, { email: shared, name: 'Shared A' });
      const inB = await people.create(second.id, { email: shared, name: 'Shared B' });
      await auth.setPassword(inA.id, PASSWORD);
      await auth.setPassword(inB.id, otherPassword);
    });
    afterAll(() => t?.close());

    const attempt = (body: Record<string, string>) => t.http.post('/auth/sign-in').send(body);

    it('an unknown email, a wrong password and an email of two organisations get the same answer', async () => {
      const answers = await Promise.all([
        attempt({ email: 'nobody@nowhere.test', password: 'whatever it is' }),
        attempt({ email: org.hr.email, password: 'whatever it is' }),
        attempt({ email: shared, password: 'whatever it is' }),
      ]);
      for (const res of answers) {
        expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: WRONG });
      }
    });

    it('the sign-in page answers them alike too', async () => {
      const pages = await Promise.all(
        ['nobody@nowhere.test', org.hr.email, shared].map(async (email) => {
          const { cookie, csrf } = await signInFormFor(t.http);
          return t.http
            .post('/sign-in')
            .set('cookie', cookie)
            .type('form')
            .send({ email, password: 'whatever it is', _csrf: csrf });
        }),
      );
      for (const res of pages) {
        expect(res.status).toBe(401);
        expect(res.text).toContain('email or password is wrong');
        expect(res.text).not.toContain('several organisations');
      }
    });

    it('the right password finds its own organisation; naming the organisation still works', async () => {
      const a = await attempt({ email: shared, password: PASSWORD });
      expect(a.status).toBe(200);
      expect(a.body.person.organisationId).toBe(org.orgId);
      const b = await attempt({ email: shared, password: otherPassword, organisation: 'enum-b' });
      expect(b.status).toBe(200);
      expect(b.body.person.organisationId).not.toBe(org.orgId);
      const wrongOrg = await attempt({ email: shared, password: PASSWORD, organisation: 'enum-b' });
      expect({ status: wrongOrg.status, body: wrongOrg.body }).toEqual({
        status: 401,
        body: WRONG,
      });
    });
  });

  describe('attempts per address', () => {
    let t: TestApp;
    const LIMIT = 6;

    beforeAll(async () => {
      t = await createTestApp({
        SIGN_IN_LIMIT: '3',
        SIGN_IN_ADDRESS_LIMIT: String(LIMIT),
        SIGN_IN_WINDOW_SECONDS: '60',
      });
    });
    afterAll(() => t?.close());

    it('changing the email (and claiming another address in X-Forwarded-For) does not reset the count', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= LIMIT; i++) {
        const res = await t.http
          .post('/auth/sign-in')
          .set('x-forwarded-for', `203.0.113.${i + 1}`)
          .send({ email: `guess${i}@nowhere.test`, password: 'whatever it is' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    });
  });

  describe('behind a proxy (TRUST_PROXY=loopback)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        SIGN_IN_LIMIT: '3',
        SIGN_IN_ADDRESS_LIMIT: '2',
        TRUST_PROXY: 'loopback',
      });
    });
    afterAll(() => t?.close());

    it('the proxy names the client, and each client has its own count', async () => {
      const from = (address: string, i: number) =>
        t.http
          .post('/auth/sign-in')
          .set('x-forwarded-for', address)
          .send({ email: `guess${i}@nowhere.test`, password: 'whatever it is' });
      const first = [await from('203.0.113.1', 1), await from('203.0.113.1', 2)];
      expect(first.map((r) => r.status)).toEqual([401, 401]);
      expect((await from('203.0.113.1', 3)).status).toBe(429);
      expect((await from('203.0.113.2', 4)).status).toBe(401);
    });
  });
});
