import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { resultsCurrent } from '../support/results-basis';
import {
  figureGaps,
  figureN,
  opsAndSales,
  reportsOf,
  type OpsSalesUnits,
  type UnitReport,
} from '../support/ops-sales';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const K = 5;

/**
 * Red-team move 2b, subtraction over time: HR reads Ops for a round (n = 17: teams A 7, B 7,
 * C 3), moves C to Sales, waits for the round to be re-derived and reads Ops again. Before the
 * fix the re-derived Ops was shown with n = 14, and Ops before − Ops after gave C's three
 * people's means; Sales (7, then 10 with C) gave the same. Every aggregate shown for the round
 * at either time must differ from every other shown for the same unit by 0 or ≥ k people.
 */
describe('attack: the same round read before and after a reorganisation', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext | undefined;
  let hr: string;
  let unit: OpsSalesUnits;
  let before: Map<string, UnitReport>;

  const readAll = () => reportsOf(t, hr, [...Object.values(unit), org.rootId]);
  const n = (r: UnitReport | undefined, key = 'decision_rights') => figureN(r, key);

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    org = await createOrg(t.app, 'move2b');
    hr = await signIn(t.http, org.hr.email);
    worker = await startWorker();
    unit = await opsAndSales(t, org, hr);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('before the move, HR reads Ops with C inside it (n = 17) and Sales without it (n = 7)', async () => {
    before = await readAll();
    expect(before.get(unit.ops)?.latest.shown).toBe(true);
    expect(n(before.get(unit.ops))).toBe(17);
    expect(before.get(unit.sales)?.latest.shown).toBe(true);
    expect(n(before.get(unit.sales))).toBe(7);
  });

  it('after C moves to Sales and the round is re-derived, no unit shows a figure that differs from its earlier one by C', async () => {
    const moved = await t.http
      .patch(`/units/${unit.c}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ parentId: unit.sales });
    expect(moved.status).toBe(200);
    await resultsCurrent(t, org.orgId);
    const after = await readAll();

    // The attack itself: Ops then (17) minus Ops now (14) is team C.
    const ops = after.get(unit.ops)!;
    expect({ shown: ops.latest.shown, n: n(ops) }).toEqual({ shown: false, n: undefined });
    expect(ops.latest.message).toMatch(/organisation changed/);
    // Counts may be shown: today's tree, 14 people.
    expect(ops.latest.respondents).toBe(14);
    // The same attack from the other side: Sales now (10) minus Sales then (7).
    expect(after.get(unit.sales)?.latest.shown).toBe(false);

    // Every unit, every dimension: shown at both times means equal, or apart by ≥ k.
    const gaps = figureGaps(before, after);
    expect(gaps.filter((g) => g.gap > 0 && g.gap < K)).toEqual([]);
    // Something is shown at both times (the organisation, unchanged), so the check above bites.
    expect(gaps.length).toBeGreaterThan(0);
  });
});
