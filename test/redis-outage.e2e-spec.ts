import { createOrg, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { startPrivateRedis } from './support/private-redis';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

describe('answers while Redis is down', () => {
  let t: TestApp;
  let org: OrgFixture;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    mailbox = await startMailbox();
    t = await createTestApp({ REDIS_URL: redis.url, SMTP_URL: mailbox.url });
    org = await createOrg(t.app, 'outage');
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await t.close();
    await mailbox.close();
    await redis.stop();
  });

  it('stores every submission made while Redis is stopped', async () => {
    const { roundId } = await openRoundNow(t.app, org);
    await redis.stop();
    const people = [org.member.email, org.otherMember.email];
    for (const email of people) {
      const token = tokenOf(mailbox.linksFor(email)[0]);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(form.body.items.map((i: { key: string }) => [i.key, 3]));
      expect((await t.http.post(`/pulse/${token}`).send({ answers })).status).toBe(201);
    }
    const answered = await t.db.query(
      `select count(*)::int as n from invitation where round_id = $1 and kind = 'member' and answered`,
      [roundId],
    );
    expect(answered.rows[0].n).toBe(2);
    const pooled = await t.db.query(
      'select count(*)::int as n from response_pool where round_id = $1',
      [roundId],
    );
    expect(pooled.rows[0].n).toBe(2);
    // Sign-in needs Redis for its session: it says so instead of failing obscurely.
    const signIn = await t.http
      .post('/auth/sign-in')
      .send({ email: org.hr.email, password: 'correct horse battery' });
    expect(signIn.status).toBe(503);
    await redis.start();
  });
});
