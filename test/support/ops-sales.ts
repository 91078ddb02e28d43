import type { OrgFixture } from './fixtures';
import { historyCsv, historyRows, importRound } from './history';
import type { TestApp } from './test-app';

export type OpsSalesUnits = Record<'ops' | 'a' | 'b' | 'c' | 'sales' | 's', string>;

/**
 * The reorganisation attacks' organisation: department Ops with teams A (7), B (7) and C (3,
 * micromanaged), department Sales with team S (7), and one imported, aggregated round. A worker
 * must be running: this waits for the aggregation.
 */
export async function opsAndSales(t: TestApp, org: OrgFixture, hr: string): Promise<OpsSalesUnits> {
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
    historyCsv([
      ...historyRows('ops-a', 7, 'healthy'),
      ...historyRows('ops-b', 7, 'healthy'),
      ...historyRows('ops-c', 3, 'micromanaged'),
      ...historyRows('sales-s', 7, 'healthy'),
    ]),
  );
  return units;
}
