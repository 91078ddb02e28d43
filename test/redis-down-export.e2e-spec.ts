import { ApiTokensService } from '@trellis/identity';
import { createOrg, PASSWORD, principalOf, type OrgFixture } from './support/fixtures';
import { startPrivateRedis } from './support/private-redis';
import { launch } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * Redis stops while HR asks for a background export. The request must be answered — the export
 * recorded in PostgreSQL as queued — instead of waiting on the queue's connection for as long as
 * Redis is away; once Redis is back (empty), the reconciler queues it and a worker builds it.
 */
describe('creating an export while Redis is down', () => {
  let t: TestApp;
  let org: OrgFixture;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let token: string;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await createTestApp({ REDIS_URL: redis.url });
    org = await createOrg(t.app, 'redisdown');
    // An API token lives in PostgreSQL, so it still identifies HR while Redis is away.
    token = (await t.app.get(ApiTokensService).create(principalOf(org, 'hr'), 'exports')).token;
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await t.close();
    await redis.stop();
  });

  it('answers 202 with the export queued in the database, and the export is built once Redis returns', async () => {
    await redis.stop();
    // The request gets an answer at all (the old one hung with no answer after 90 s).
    const created = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${token}`)
      .send({ format: 'csv' })
      .timeout(30_000);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'queued' });
    const id = created.body.id as string;

    // What needs Redis says so at once, with a time to come back.
    const signIn = await t.http
      .post('/auth/sign-in')
      .send({ email: org.hr.email, password: PASSWORD })
      .timeout(30_000);
    expect(signIn.status).toBe(503);
    expect(Number(signIn.headers['retry-after'])).toBeGreaterThan(0);

    await redis.start();
    const worker = launch('worker', {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: redis.url,
      REDIS_PREFIX: t.prefix,
      SCHEDULER_TICK_MS: '250',
    });
    try {
      await until('the export to be built', async () => {
        const res = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${token}`);
        return res.body.status === 'ready';
      });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
  }, 120_000);
});
