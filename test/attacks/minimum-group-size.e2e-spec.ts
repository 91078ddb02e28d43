import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

/**
 * The organisation's k, not the default 5, decides what is stored and shown, end to end: the
 * same round (Platform 6, Sales 4, Infra 3) at k = 3 shows every team, at k = 8 only the
 * organisation as a whole.
 */
describe('the organisation’s minimum group size, at k = 3 and k = 8', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
  }, 60_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function organisationWithK(k: number) {
    const org = await createOrg(t.app, `k${k}`);
    const admin = await signIn(t.http, org.admin.email);
    const hr = await signIn(t.http, org.hr.email);
    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ anonymity: { minGroupSize: k } });
    expect(saved.status).toBe(200);
    expect(saved.body.anonymity.minGroupSize).toBe(k);
    const infra = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'Infra', key: 'infra', kind: 'team', parentId: org.rootId });
    expect(infra.status).toBe(201);
    const roundId = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-09-01', periodEnd: '2025-09-14' },
      historyCsv([
        ...historyRows('platform', 6, 'healthy'),
        ...historyRows('sales', 4, 'micromanaged'),
        ...historyRows('infra', 3, 'healthy'),
      ]),
    );
    return { org, hr, infraId: infra.body.id as string, roundId };
  }

  const report = async (hr: string, unitId: string) => {
    const res = await t.http.get(`/units/${unitId}/report`).set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  const storedUnits = async (org: OrgFixture, roundId: string) =>
    (
      await t.db.query(
        `select distinct unit_id from unit_result where round_id = $1 and organisation_id = $2`,
        [roundId, org.orgId],
      )
    ).rows.map((r: { unit_id: string }) => r.unit_id);

  it('k = 3: a team of three is shown, with its figures, items and flags', async () => {
    const { org, hr, infraId, roundId } = await organisationWithK(3);
    const infra = await report(hr, infraId);
    expect(infra.minimumGroupSize).toBe(3);
    expect(infra.latest).toMatchObject({ shown: true, ownShown: true, respondents: 3 });
    expect(infra.latest.dimensions).toHaveLength(6);
    expect(infra.items.length).toBeGreaterThan(0);
    const sales = await report(hr, org.otherTeamId);
    expect(sales.latest).toMatchObject({ shown: true, respondents: 4 });
    expect(sales.flags.map((f: { code: string }) => f.code)).toContain('micromanagement');
    expect((await storedUnits(org, roundId)).sort()).toEqual(
      [org.rootId, org.deptId, org.teamId, org.otherTeamId, infraId].sort(),
    );
  });

  it('k = 8: no team is shown or stored, only the organisation of 13', async () => {
    const { org, hr, infraId, roundId } = await organisationWithK(8);
    for (const unitId of [org.teamId, org.otherTeamId, infraId]) {
      const body = await report(hr, unitId);
      expect(body.minimumGroupSize).toBe(8);
      expect(body.latest).toMatchObject({
        shown: false,
        message: 'not enough responses to show (fewer than 8)',
      });
      expect(body.flags).toEqual([]);
      expect(body.items).toEqual([]);
    }
    const root = await report(hr, org.rootId);
    expect(root.latest).toMatchObject({ shown: true, respondents: 13 });
    expect(await storedUnits(org, roundId)).toEqual([org.rootId]);
    expect(
      (await t.db.query(`select count(*)::int as n from flag where round_id = $1`, [roundId]))
        .rows[0].n,
    ).toBe(0);
    const csv = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.csv`)
      .set('authorization', `Bearer ${hr}`);
    expect(csv.status).toBe(200);
    const rows = parse<Record<string, string>>(csv.text, { columns: true });
    const numbered = rows.filter((r) => r.n !== '');
    expect(numbered.length).toBe(6);
    expect(new Set(numbered.map((r) => r.unit_id))).toEqual(new Set([org.rootId]));
    expect(
      rows.filter((r) => r.unit_id === org.otherTeamId && r.status === 'suppressed'),
    ).toHaveLength(6);
  });
});
