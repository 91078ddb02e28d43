import { createOrg, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { startPrivateRedis } from './support/private-redis';
import { launch } from './support/processes';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * Redis stops while a round is open and people answer, with a built worker running throughout.
 * The private Redis keeps nothing on disk, so it comes back empty: no queues, no job schedules,
 * no sessions. PostgreSQL is the record; everything in Redis must be rebuilt from it.
 */
describe('answers while Redis is down', () => {
  let t: TestApp;
  let org: OrgFixture;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let worker: ReturnType<typeof launch>;
  let roundId: string;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    mailbox = await startMailbox();
    t = await createTestApp({ REDIS_URL: redis.url, SMTP_URL: mailbox.url });
    org = await createOrg(t.app, 'outage');
    worker = launch('worker', {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: redis.url,
      REDIS_PREFIX: t.prefix,
      SMTP_URL: mailbox.url,
      SCHEDULER_TICK_MS: '250',
    });
    await worker.waitFor(/processing jobs/);
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    if (worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
    await t.close();
    await mailbox.close();
    await redis.stop();
  });

  it('stores every submission made while Redis is stopped', async () => {
    ({ roundId } = await openRoundNow(t.app, org));
    // Two members of Platform, one of Sales. The running worker may be the one that sends some of
    // the invitations, so wait for all of them to arrive before Redis goes.
    const people = [org.member.email, org.otherLeader.email, org.otherMember.email];
    // A member's invitation (the Sales leader also has a self-view invitation for Sales).
    const memberMail = (email: string) =>
      mailbox.mails.find((m) => m.to === email && /^Two minutes for/.test(m.subject));
    await until('the invitations', async () => people.every(memberMail));
    await redis.stop();
    for (const email of people) {
      const token = tokenOf(memberMail(email)!.link!);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(form.body.items.map((i: { key: string }) => [i.key, 3]));
      expect((await t.http.post(`/pulse/${token}`).send({ answers })).status).toBe(201);
    }
    const answered = await t.db.query(
      `select count(*)::int as n from participation where round_id = $1 and kind = 'member'`,
      [roundId],
    );
    expect(answered.rows[0].n).toBe(3);
    // Fewer than five: they wait in the pool until more arrive or the round closes.
    const pooled = await t.db.query(
      'select count(*)::int as n from response_pool where round_id = $1',
      [roundId],
    );
    expect(pooled.rows[0].n).toBe(3);
    // Sign-in needs Redis for its session: it says so instead of failing obscurely.
    const signIn = await t.http
      .post('/auth/sign-in')
      .send({ email: org.hr.email, password: 'correct horse battery' });
    expect(signIn.status).toBe(503);
  });

  it('catches up once Redis returns, empty: the round closes and its results count those answers', async () => {
    // The round's time runs out during the outage.
    await t.db.query('update round set closes_at = now() where id = $1', [roundId]);
    expect(
      (await t.db.query('select status from round where id = $1', [roundId])).rows[0].status,
    ).toBe('open');
    // The worker rode out the outage rather than exiting.
    expect(worker.child.exitCode).toBeNull();

    await redis.start();
    const round = () =>
      t.db
        .query('select status, aggregated_at from round where id = $1', [roundId])
        .then((r) => r.rows[0] as { status: string; aggregated_at: Date | null });
    await until(
      'the round to close and be aggregated',
      async () => (await round()).aggregated_at,
      45_000,
      round,
    );
    expect((await round()).status).toBe('closed');

    // Closing emptied the pool into the answer tables; aggregation counted every answer.
    expect(
      (
        await t.db.query('select count(*)::int as n from response_pool where round_id = $1', [
          roundId,
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (
        await t.db.query(
          `select count(*)::int as n from response where round_id = $1 and kind = 'member'`,
          [roundId],
        )
      ).rows[0].n,
    ).toBe(3);
    const teams = await t.db.query(
      'select unit_id, respondents, invited from team_round where round_id = $1',
      [roundId],
    );
    expect(
      Object.fromEntries(teams.rows.map((r) => [r.unit_id, [r.respondents, r.invited]])),
    ).toEqual({ [org.teamId]: [2, 2], [org.otherTeamId]: [1, 1] });
    expect(worker.child.exitCode).toBeNull();

    // The API is whole again too: sign-in gets its session.
    const signIn = await t.http
      .post('/auth/sign-in')
      .send({ email: org.hr.email, password: 'correct horse battery' });
    expect(signIn.status).toBe(200);
  }, 60_000);
});
