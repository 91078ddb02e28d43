import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

/**
 * The data API stops before a round being re-derived. A page cut short there must not end with
 * a null cursor, which a syncing client takes for "you have everything": an empty page is a 503
 * to retry, and once the rounds are current the same request pages to the end.
 */
describe('data API while results are being recomputed', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext | undefined;
  let hr: string;
  let admin: string;

  const page = () =>
    t.http.get(`/organisations/${org.orgId}/data/trends`).set('authorization', `Bearer ${hr}`);

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    org = await createOrg(t.app, 'datarecompute');
    hr = await signIn(t.http, org.hr.email);
    admin = await signIn(t.http, org.admin.email);
    worker = await startWorker();
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-06-02', periodEnd: '2025-06-15' },
      historyCsv([...historyRows('platform', 6, 'healthy'), ...historyRows('sales', 8, 'healthy')]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('answers 503 with Retry-After instead of an empty last page, and pages to the end once current', async () => {
    const before = await page();
    expect(before.status).toBe(200);
    expect(before.body.rows.length).toBeGreaterThan(0);
    expect(before.body.nextCursor).toBeNull();

    // No worker: the change below leaves every round stale until one runs again.
    await worker!.close();
    worker = undefined;
    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ anonymity: { minGroupSize: 6, minCommentGroup: 10 } });
    expect(saved.status).toBe(200);

    const during = await page();
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBeDefined();
    expect(during.body.message).toMatch(/recomputed/);

    worker = await startWorker();
    const after = await until('the rounds to be current again', async () => {
      const res = await page();
      return res.status === 200 ? res : null;
    });
    expect(after.body.rows.length).toBeGreaterThan(0);
    expect(after.body.nextCursor).toBeNull();
  }, 120_000);
});
