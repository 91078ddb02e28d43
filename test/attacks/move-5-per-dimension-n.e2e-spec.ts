import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const K = 5;

/** History lines whose over-control cells are blank: the person skipped that dimension. */
function withoutOverControl(lines: string[]): string[] {
  const items = AUTONOMY_ALIGNMENT_PULSE.items;
  return lines.map((line) =>
    line
      .split(',')
      .map((cell, i) => (i > 0 && items[i - 1].dimension === 'over_control' ? '' : cell))
      .join(','),
  );
}

interface DimensionView {
  key: string;
  n: number;
  mean: number | null;
}

/**
 * Red-team move 5: Sales has 5 respondents, so it is shown, but only one of them answered the
 * over-control statements. Its over-control score had n = 1, one person's exact answers, in
 * the report and the CSV export. Each figure needs k people of its own, and the organisation
 * minus Platform must not single that person out either.
 */
describe('attack, move 5: each figure needs k people of its own', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  let hr: string;
  let roundId: string;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'move5');
    hr = await signIn(t.http, org.hr.email);
    const sales = historyRows('sales', 5, 'micromanaged');
    roundId = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-05-05', periodEnd: '2025-05-18' },
      historyCsv([
        sales[0],
        ...withoutOverControl(sales.slice(1)),
        ...historyRows('platform', 6, 'healthy'),
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('the report of the shown team carries no figure resting on fewer than k people', async () => {
    const res = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body.latest).toMatchObject({ shown: true, respondents: 5 });
    const dimensions = res.body.latest.dimensions as DimensionView[];
    // The five other dimensions rest on all five people and are shown.
    expect(dimensions.map((d) => d.key).sort()).toEqual(
      ['alignment', 'decision_rights', 'leader_support', 'psych_safety', 'purpose_clarity'].sort(),
    );
    for (const d of dimensions) expect(d.n).toBeGreaterThanOrEqual(K);
    const items = res.body.items as { dimension: string; n: number }[];
    // Every statement but the over-control ones, which only one person answered.
    expect(items).toHaveLength(
      AUTONOMY_ALIGNMENT_PULSE.items.filter((i) => i.dimension !== 'over_control').length,
    );
    for (const item of items) {
      expect(item.n).toBeGreaterThanOrEqual(K);
      expect(item.dimension).not.toBe('over_control');
    }
  });

  it('the CSV export has no number for a figure under k, nor two that differ by 1..k−1 people', async () => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.csv`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    const rows = parse<Record<string, string>>(res.text, { columns: true });
    const sales = rows.filter((r) => r.unit_id === org.otherTeamId);
    expect(sales.length).toBeGreaterThan(0);
    const salesControl = sales.filter((r) => r.dimension === 'over_control');
    expect(salesControl).toHaveLength(1);
    expect(salesControl[0]).toMatchObject({
      status: 'suppressed',
      respondents: '5',
      n: '',
      mean: '',
    });
    const numbered = rows.filter((r) => r.round_id === roundId && r.n !== '');
    expect(numbered.length).toBeGreaterThan(0);
    for (const r of numbered) expect(Number(r.n)).toBeGreaterThanOrEqual(K);
    const nOf = (unitId: string, dimension: string) =>
      numbered.find((r) => r.unit_id === unitId && r.dimension === dimension)?.n;
    // The organisation (Sales 5 + Platform 6) against Engineering or Platform: 11 − 6 on
    // decision rights is fine; on over-control it would be 7 − 6, the one Sales person who
    // answered it, so only one of the three shows over-control.
    expect([nOf(org.rootId, 'decision_rights'), nOf(org.teamId, 'decision_rights')]).toEqual([
      '11',
      '6',
    ]);
    const control = [org.rootId, org.deptId, org.teamId].map((id) => nOf(id, 'over_control'));
    expect(control.filter((n) => n !== undefined)).toHaveLength(1);
  });
});
