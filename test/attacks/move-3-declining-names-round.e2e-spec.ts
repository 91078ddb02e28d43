import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** "2 November 2026" for 2026-11-02, written independently of the code under test. */
const spoken = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

interface FlagView {
  code: string;
  evidence: Record<string, unknown>;
  explanation: string;
}

/**
 * Red-team move 3, continued: Sales was shown in the first round, hidden in the second (3
 * respondents, k = 5) and shown again, much worse, in the third. The declining flag compares
 * with the first round, the latest shown for the team, but its text said "since the last
 * round", which a reader takes for the second.
 */
describe('attack, move 3: a declining flag names the shown round it compares with', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  const shownBefore = day(-90);
  const hidden = day(-60);

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'move3named');
    const hr = await signIn(t.http, org.hr.email);
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: shownBefore, periodEnd: day(-77) },
      historyCsv([...historyRows('sales', 7, 'healthy'), ...historyRows('platform', 6, 'healthy')]),
    );
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: hidden, periodEnd: day(-47) },
      historyCsv([...historyRows('sales', 3, 'healthy'), ...historyRows('platform', 6, 'healthy')]),
    );
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(-20), periodEnd: day(-14) },
      historyCsv([
        ...historyRows('sales', 7, 'micromanaged'),
        ...historyRows('platform', 6, 'healthy'),
      ]),
    );
  }, 180_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('says "since the round of <first round>", not "since the last round"', async () => {
    const leader = await signIn(t.http, org.otherLeader.email);
    const res = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${leader}`);
    expect(res.status).toBe(200);
    expect(res.body.trends.map((r: { shown: boolean }) => r.shown)).toEqual([true, false, true]);
    const declining = (res.body.flags as FlagView[]).find((f) => f.code === 'declining');
    expect(declining).toBeDefined();
    expect(declining!.explanation).toContain(`since the round of ${spoken(shownBefore)}`);
    expect(declining!.explanation).not.toMatch(/last round/);
    expect(declining!.explanation).not.toContain(spoken(hidden));
    expect(declining!.evidence.comparedWith).toBe(shownBefore);
  });
});
