import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { resultsCurrent } from '../support/results-basis';
import { opsAndSales, reportOf, type OpsSalesUnits, type UnitReport } from '../support/ops-sales';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const K = 5;

/**
 * Red-team move 2: Ops has teams A (7), B (7) and C (3); C is hidden, so one of A and B is hidden
 * too and Ops minus its shown teams holds at least k people. HR then moves C to Sales. Before the
 * fix, Ops's stored total (17, C included) stayed while visibility was decided on the new tree,
 * where A and B may both be shown: Ops − A − B gave C's three people's means exactly.
 */
describe('attack: a reorganisation after aggregation makes stored totals subtractable', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext | undefined;
  let hr: string;
  let unit: OpsSalesUnits;

  const report = (id: string) => reportOf(t, hr, id);
  const dims = (r: UnitReport) => new Map((r.latest.dimensions ?? []).map((d) => [d.key, d]));

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    org = await createOrg(t.app, 'move2');
    hr = await signIn(t.http, org.hr.email);
    worker = await startWorker();
    unit = await opsAndSales(t, org, hr);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('before the move: Ops is shown with C inside it, and Ops minus its shown teams holds ≥ k', async () => {
    const [ops, a, b] = [await report(unit.ops), await report(unit.a), await report(unit.b)];
    expect(ops.latest.shown).toBe(true);
    expect(dims(ops).get('decision_rights')?.n).toBe(17);
    // C (3) is hidden, and A or B (or both) with it: Ops minus what is shown holds ≥ k.
    const shown = [a, b].filter((r) => r.latest.shown);
    expect(shown.length).toBeLessThan(2);
    const teamsN = shown.reduce((sum, r) => sum + (dims(r).get('decision_rights')?.n ?? 0), 0);
    expect(17 - teamsN).toBeGreaterThanOrEqual(K);
  });

  it('after HR moves C to Sales, nothing computed on the old tree is served until it is re-derived', async () => {
    // No worker: the window between the move and re-derivation stays open for the reads below.
    await worker!.close();
    worker = undefined;
    const moved = await t.http
      .patch(`/units/${unit.c}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ parentId: unit.sales });
    expect(moved.status).toBe(200);

    const [ops, a, b] = [await report(unit.ops), await report(unit.a), await report(unit.b)];
    // The red team's read: Ops and both its remaining teams at once.
    const shownTogether = [ops, a, b].every((r) => r.latest.shown);
    const opsN = dims(ops).get('decision_rights')?.n ?? 0;
    const teamsN = [a, b].reduce((sum, r) => sum + (dims(r).get('decision_rights')?.n ?? 0), 0);
    expect({ shownTogether, remainder: shownTogether ? opsN - teamsN : null }).toEqual({
      shownTogether: false,
      remainder: null,
    });
    for (const r of [ops, a, b, await report(unit.s), await report(unit.sales)]) {
      expect(r.latest.shown).toBe(false);
      expect(r.latest.dimensions).toBeUndefined();
      expect(r.latest.message).toMatch(/being recomputed/);
    }
    // Counts may still be shown, on today's tree.
    expect(ops.latest.respondents).toBe(14);

    const heatmap = await t.http
      .get(`/organisations/${org.orgId}/heatmap`)
      .set('authorization', `Bearer ${hr}`);
    expect(heatmap.status).toBe(200);
    expect(heatmap.body.rows.length).toBeGreaterThan(0);
    for (const row of heatmap.body.rows as { shown: boolean; cells?: unknown }[]) {
      expect(row.shown).toBe(false);
      expect(row.cells).toBeUndefined();
    }

    // The data API does not page through the round while it is being re-derived.
    const token = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'BI tool' });
    expect(token.status).toBe(201);
    const page = await t.http
      .get(`/organisations/${org.orgId}/data/trends`)
      .set('authorization', `Bearer ${token.body.token}`);
    // Nothing is current yet: a 503 to retry, never an empty page that reads as the end.
    expect(page.status).toBe(503);
    expect(page.body).not.toHaveProperty('rows');
  });

  it('once re-derived, the numbers are today’s tree, and neither Ops nor Sales differs from its earlier shown figure by C', async () => {
    worker = await startWorker();
    await resultsCurrent(t, org.orgId);
    const [ops, sales, c] = [
      await report(unit.ops),
      await report(unit.sales),
      await report(unit.c),
    ];
    // Ops was shown with C (17) before the move: shown now as A + B (14) it would give C by
    // subtraction over time, and Sales (7 before, 10 with C) the same from the other side.
    // Their counts are today's tree.
    expect(ops.latest).toMatchObject({ shown: false, respondents: 14 });
    expect(sales.latest).toMatchObject({ shown: false, respondents: 10 });
    for (const r of [ops, sales]) {
      expect(r.latest.dimensions).toBeUndefined();
      expect(r.latest.message).toMatch(/organisation changed/);
    }
    expect(c.latest.shown).toBe(false);
  });
});
