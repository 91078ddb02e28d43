import type { INestApplicationContext } from '@nestjs/common';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { resultsCurrent } from '../support/results-basis';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const K = 5;

interface Report {
  latest: { shown: boolean; dimensions?: { key: string; n: number }[] };
}

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
  const unit: Record<string, string> = {};
  let before: Map<string, Report>;

  const report = async (id: string): Promise<Report> => {
    const res = await t.http.get(`/units/${id}/report`).set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const readAll = async () =>
    new Map(
      await Promise.all(
        [...Object.values(unit), org.rootId].map(async (id) => [id, await report(id)] as const),
      ),
    );
  const n = (r: Report | undefined, key: string) =>
    r?.latest.dimensions?.find((d) => d.key === key)?.n;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300' });
    org = await createOrg(t.app, 'move2c');
    hr = await signIn(t.http, org.hr.email);
    const create = async (body: Record<string, string>) => {
      const res = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send(body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    unit.ops = await create({ name: 'Ops', key: 'ops', kind: 'department' });
    unit.sales = await create({ name: 'Sales dept', key: 'sales-dept', kind: 'department' });
    unit.a = await create({ name: 'Ops A', key: 'ops-a', kind: 'team', parentId: unit.ops });
    unit.b = await create({ name: 'Ops B', key: 'ops-b', kind: 'team', parentId: unit.ops });
    unit.c = await create({ name: 'Ops C', key: 'ops-c', kind: 'team', parentId: unit.ops });
    unit.s = await create({ name: 'Sales S', key: 'sales-s', kind: 'team', parentId: unit.sales });
    worker = await startWorker();
    const c = historyRows('ops-c', 5, 'micromanaged');
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-06-02', periodEnd: '2025-06-15' },
      historyCsv([
        ...historyRows('ops-a', 6, 'healthy'),
        ...historyRows('ops-b', 6, 'healthy'),
        c[0],
        ...withoutOverControl(c.slice(1)),
        ...historyRows('sales-s', 7, 'healthy'),
      ]),
    );
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

    const gaps: { unit: string; key: string; gap: number }[] = [];
    for (const [id, now] of after) {
      for (const d of now.latest.dimensions ?? []) {
        const then = n(before.get(id), d.key);
        if (then !== undefined) gaps.push({ unit: id, key: d.key, gap: Math.abs(then - d.n) });
      }
    }
    expect(gaps.filter((g) => g.gap > 0 && g.gap < K)).toEqual([]);
    // Ops's other dimensions moved by C's five people, so the check above compares something.
    expect(gaps.some((g) => g.unit === unit.ops && g.gap >= K)).toBe(true);
  });
});
