import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

interface DimensionView {
  key: string;
  percentile: number | null;
}

/**
 * Red-team move 7: a shown team's percentile was its rank among every team, hidden ones
 * included, so the percentiles of the shown teams told where hidden teams stood. Here Platform
 * (6) and Sales (7) are shown, Infra and Ops (3 each) are hidden; Ops sits below Sales on
 * decision rights, Infra between Sales and Platform.
 */
describe('attack, move 7: percentiles rank a team only among teams that may be shown', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'move7');
    hr = await signIn(t.http, org.hr.email);
    for (const key of ['infra', 'ops']) {
      const created = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name: key, key, kind: 'team', parentId: org.rootId });
      expect(created.status).toBe(201);
    }
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-06-02', periodEnd: '2025-06-15' },
      historyCsv([
        // Decision rights: Platform 4.5, Infra 4.33, Sales 1.43, Ops 1.33.
        ...historyRows('platform', 6, 'healthy'),
        ...historyRows('sales', 7, 'micromanaged'),
        ...historyRows('infra', 3, 'healthy'),
        ...historyRows('ops', 3, 'micromanaged'),
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const percentile = async (unitId: string, dimension: string) => {
    const res = await t.http.get(`/units/${unitId}/report`).set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body.latest.shown).toBe(true);
    return (res.body.latest.dimensions as DimensionView[]).find((d) => d.key === dimension)
      ?.percentile;
  };

  it('mid-ranks among the two shown teams only', async () => {
    // Among all four: Sales 37.5 and Platform 87.5, which would place Ops below Sales.
    expect(await percentile(org.otherTeamId, 'decision_rights')).toBe(25);
    expect(await percentile(org.teamId, 'decision_rights')).toBe(75);
  });

  it('hidden teams have no stored figures to rank, and the shown ranks average 50', async () => {
    const stored = await t.db.query(
      `select u.key, count(ur.*)::int as results
         from unit u left join unit_result ur on ur.unit_id = u.id
        where u.organisation_id = $1 and u.key in ('infra', 'ops') group by u.key order by u.key`,
      [org.orgId],
    );
    expect(stored.rows).toEqual([
      { key: 'infra', results: 0 },
      { key: 'ops', results: 0 },
    ]);
    const ranks = await t.db.query(
      `select dimension, avg(percentile)::float8 as mean from unit_result
        where organisation_id = $1 and not rollup and percentile is not null group by dimension`,
      [org.orgId],
    );
    expect(ranks.rows.length).toBe(6);
    for (const r of ranks.rows) expect(r.mean).toBe(50);
  });
});
