import type { INestApplicationContext } from '@nestjs/common';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyRows } from '../support/history';
import {
  figureGaps,
  figureN,
  opsAndSales,
  reportsOf,
  type OpsSalesUnits,
  type UnitReport,
} from '../support/ops-sales';
import { resultsCurrent } from '../support/results-basis';
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

/**
 * Subtraction over time, one figure at a time: Ops holds teams A (6), B (6) and C (5), but four
 * of C's people skipped the over-control statements, so Ops's over-control score rests on 13
 * people. After C moves to Sales, Ops differs by C's five people (≥ k) and may be shown again;
 * its over-control score, though, would rest on 12 — Ops's over-control then minus now is the
 * one person of C who answered it. Every figure shown at both times must differ by 0 or ≥ k.
 */
describe('attack: one figure read before and after a reorganisation', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext | undefined;
  let hr: string;
  let unit: OpsSalesUnits;
  let before: Map<string, UnitReport>;

  const readAll = () => reportsOf(t, hr, [...Object.values(unit), org.rootId]);
  const n = figureN;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    org = await createOrg(t.app, 'move2c');
    hr = await signIn(t.http, org.hr.email);
    worker = await startWorker();
    const c = historyRows('ops-c', 5, 'micromanaged');
    unit = await opsAndSales(t, org, hr, [
      ...historyRows('ops-a', 6, 'healthy'),
      ...historyRows('ops-b', 6, 'healthy'),
      c[0],
      ...withoutOverControl(c.slice(1)),
      ...historyRows('sales-s', 7, 'healthy'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('before the move, Ops shows over-control resting on 13 people', async () => {
    before = await readAll();
    expect(before.get(unit.ops)?.latest.shown).toBe(true);
    expect(n(before.get(unit.ops), 'over_control')).toBe(13);
    expect(n(before.get(unit.ops), 'decision_rights')).toBe(17);
  });

  it('after C moves to Sales, no figure shown at both times differs by 1..k−1 people', async () => {
    const moved = await t.http
      .patch(`/units/${unit.c}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ parentId: unit.sales });
    expect(moved.status).toBe(200);
    await resultsCurrent(t, org.orgId);
    const after = await readAll();

    // Ops itself may be shown again (its people differ by C's five), but not its over-control.
    expect(after.get(unit.ops)?.latest.shown).toBe(true);
    expect(n(after.get(unit.ops), 'decision_rights')).toBe(12);
    expect(n(after.get(unit.ops), 'over_control')).toBeUndefined();

    const gaps = figureGaps(before, after);
    expect(gaps.filter((g) => g.gap > 0 && g.gap < K)).toEqual([]);
    // Ops's other dimensions moved by C's five people, so the check above compares something.
    expect(gaps.some((g) => g.unit === unit.ops && g.gap >= K)).toBe(true);
  });
});
