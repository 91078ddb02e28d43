import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn } from '../support/fixtures';
import { historyCsv, historyRows } from '../support/history';
import { aggregationSettled } from '../support/results-basis';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const EARLIER = { periodStart: '2025-11-02', periodEnd: '2025-11-15' };
const LATER = { periodStart: '2025-11-16', periodEnd: '2025-11-29' };
const TEAMS = ['platform', 'sales'] as const;

/**
 * A later round's `declining` flags compare it with the rounds before it. Importing 16 November
 * before 2 November left 16 November with no `declining` flags: its flags were computed when no
 * earlier round existed and never again. A round's results must not depend on the order things
 * arrived in.
 */
describe('attack: history imported out of date order', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    worker = await startWorker();
  }, 60_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  /** Healthy teams on 2 November, micromanaged on 16 November: a clear decline. */
  const csv = (pattern: 'healthy' | 'micromanaged') =>
    historyCsv(TEAMS.flatMap((team) => historyRows(team, 8, pattern)));

  /** Imports both rounds in the given order, waits for aggregation to settle, and returns each team's flags on 16 November. */
  async function flagsAfter(slug: string, order: 'in order' | 'reversed') {
    const org = await createOrg(t.app, slug);
    const hr = await signIn(t.http, org.hr.email);
    const rounds = [
      { period: EARLIER, csv: csv('healthy') },
      { period: LATER, csv: csv('micromanaged') },
    ];
    if (order === 'reversed') rounds.reverse();
    for (const round of rounds) {
      const res = await t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .query(round.period)
        .set('authorization', `Bearer ${hr}`)
        .type('text/csv')
        .send(round.csv);
      expect(res.status).toBe(201);
      await aggregationSettled(t, org.orgId);
    }
    const flags: Record<string, string[]> = {};
    for (const [key, unitId] of [
      ['platform', org.teamId],
      ['sales', org.otherTeamId],
    ] as const) {
      const res = await t.http.get(`/units/${unitId}/report`).set('authorization', `Bearer ${hr}`);
      expect(res.status).toBe(200);
      expect(res.body.latest.round.periodStart).toBe(LATER.periodStart);
      flags[key] = (res.body.flags as { code: string }[]).map((f) => f.code).sort();
    }
    return flags;
  }

  it('16 November has the same declining flags whether 2 November was imported before or after it', async () => {
    const inOrder = await flagsAfter('history-in-order', 'in order');
    expect(inOrder.sales).toContain('declining');
    const reversed = await flagsAfter('history-reversed', 'reversed');
    expect(reversed).toEqual(inOrder);
  }, 120_000);
});
