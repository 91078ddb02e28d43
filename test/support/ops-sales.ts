import type { OrgFixture } from './fixtures';
import { historyCsv, historyRows, importRound } from './history';
import type { TestApp } from './test-app';

export type OpsSalesUnits = Record<'ops' | 'a' | 'b' | 'c' | 'sales' | 's', string>;

/** The part of a unit report the reorganisation attacks read. */
export interface UnitReport {
  latest: {
    shown: boolean;
    respondents: number;
    message?: string;
    dimensions?: { key: string; n: number; mean: number }[];
  };
}

/** A unit's report as HR reads it. */
export async function reportOf(t: TestApp, hr: string, unitId: string): Promise<UnitReport> {
  const res = await t.http.get(`/units/${unitId}/report`).set('authorization', `Bearer ${hr}`);
  expect(res.status).toBe(200);
  return res.body as UnitReport;
}

/** Every listed unit's report, by unit id. */
export async function reportsOf(
  t: TestApp,
  hr: string,
  unitIds: readonly string[],
): Promise<Map<string, UnitReport>> {
  return new Map(
    await Promise.all(unitIds.map(async (id) => [id, await reportOf(t, hr, id)] as const)),
  );
}

/** A dimension's n in a report, when the report shows that dimension. */
export function figureN(report: UnitReport | undefined, key: string): number | undefined {
  return report?.latest.dimensions?.find((d) => d.key === key)?.n;
}

/**
 * Pairs of figures shown in both readings of the same units: their gap in people. A gap of
 * 1..k−1 is the attack.
 */
export function figureGaps(
  before: ReadonlyMap<string, UnitReport>,
  after: ReadonlyMap<string, UnitReport>,
): { unit: string; key: string; gap: number }[] {
  const gaps: { unit: string; key: string; gap: number }[] = [];
  for (const [id, now] of after)
    for (const d of now.latest.dimensions ?? []) {
      const then = figureN(before.get(id), d.key);
      if (then !== undefined) gaps.push({ unit: id, key: d.key, gap: Math.abs(then - d.n) });
    }
  return gaps;
}

const DEFAULT_HISTORY = [
  ...historyRows('ops-a', 7, 'healthy'),
  ...historyRows('ops-b', 7, 'healthy'),
  ...historyRows('ops-c', 3, 'micromanaged'),
  ...historyRows('sales-s', 7, 'healthy'),
];

/**
 * The reorganisation attacks' organisation: department Ops with teams A, B and C (keys ops-a,
 * ops-b, ops-c), department Sales with team S (sales-s), and one imported, aggregated round of
 * `history` lines (by default A 7, B 7, C 3 micromanaged, S 7). A worker must be running: this
 * waits for the aggregation.
 */
export async function opsAndSales(
  t: TestApp,
  org: OrgFixture,
  hr: string,
  history: readonly string[] = DEFAULT_HISTORY,
): Promise<OpsSalesUnits> {
  const create = async (body: Record<string, string>) => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send(body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const ops = await create({ name: 'Ops', key: 'ops', kind: 'department' });
  const sales = await create({ name: 'Sales dept', key: 'sales-dept', kind: 'department' });
  const units: OpsSalesUnits = {
    ops,
    sales,
    a: await create({ name: 'Ops A', key: 'ops-a', kind: 'team', parentId: ops }),
    b: await create({ name: 'Ops B', key: 'ops-b', kind: 'team', parentId: ops }),
    c: await create({ name: 'Ops C', key: 'ops-c', kind: 'team', parentId: ops }),
    s: await create({ name: 'Sales S', key: 'sales-s', kind: 'team', parentId: sales }),
  };
  await importRound(
    t,
    org.orgId,
    hr,
    { periodStart: '2025-06-02', periodEnd: '2025-06-15' },
    historyCsv([...history]),
  );
  return units;
}
