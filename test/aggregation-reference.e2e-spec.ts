import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { AggregationService } from '@trellis/aggregation';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { until } from './support/until';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

const REFERENCE = join(__dirname, '..', '..', 'shared', 'reference', 'bhr2000');
const ITEMS = [
  'AF06',
  'AF07',
  'AP12',
  'AP17',
  'AP33',
  'AP34',
  'AS14',
  'AS15',
  'AS16',
  'AS17',
  'AS28',
];
const TOLERANCE = 1e-6;

interface ExpectedGroup {
  group: string;
  n: number;
  mean: number;
  sd: number;
  rwgJ: number;
  rwgAF06: number;
}

function readExpected(): {
  groups: ExpectedGroup[];
  org: { icc1: number; icc2: number; cronbach_alpha: number; groups: number; respondents: number };
} {
  const lines = readFileSync(join(REFERENCE, 'expected-groups.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const groups = lines.map((line) => {
    const [group, n, mean, sd, rwgJ, rwgAF06] = line.split(',').map((c) => c.replace(/"/g, ''));
    return {
      group,
      n: Number(n),
      mean: Number(mean),
      sd: Number(sd),
      rwgJ: Number(rwgJ),
      rwgAF06: Number(rwgAF06),
    };
  });
  return { groups, org: JSON.parse(readFileSync(join(REFERENCE, 'expected-org.json'), 'utf8')) };
}

/**
 * The 5,400 answers of Bliese, Halverson & Rothberg (2000) go in through the product's own import,
 * the real aggregation job runs, and every statistic must equal what R's multilevel and psych
 * packages computed, to 1e-6.
 */
describe('aggregation against the bhr2000 reference (R multilevel and psych)', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let roundId: string;
  const expected = readExpected();

  beforeAll(async () => {
    t = await createTestApp({ MAX_BODY_BYTES: String(20 * 1024 * 1024), SCHEDULER_TICK_MS: '500' });
    org = await createOrg(t.app, 'bhr');
    worker = await startWorker();
    const hr = await signIn(t.http, org.hr.email);

    const roster = ['email,name,team_key,team_name,department,role'];
    for (const g of expected.groups)
      roster.push(
        `p${g.group}@bhr.test,Person ${g.group},g${g.group},Group ${g.group},Army,member`,
      );
    expect(
      (
        await t.http
          .post(`/organisations/${org.orgId}/roster-imports`)
          .set('authorization', `Bearer ${hr}`)
          .type('text/csv')
          .send(roster.join('\n'))
      ).status,
    ).toBe(200);

    const instrument = await t.http
      .post(`/organisations/${org.orgId}/instruments`)
      .set('authorization', `Bearer ${hr}`)
      .send({
        key: 'bhr2000',
        name: 'bhr2000 climate scale',
        description: 'Eleven Likert items of the Bliese, Halverson & Rothberg (2000) data',
        scale: { min: 1, max: 5 },
        dimensions: [{ key: 'climate', name: 'Climate', description: 'All eleven items' }],
        items: ITEMS.map((key) => ({ key, dimension: 'climate', text: `Item ${key}` })),
      });
    expect(instrument.status).toBe(201);

    const csv = readFileSync(join(REFERENCE, 'responses.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line, i) => {
        const cells = line.split(',').map((c) => c.replace(/"/g, ''));
        return i === 0
          ? ['team', ...cells.slice(1)].join(',')
          : [`g${cells[0]}`, ...cells.slice(1)].join(',');
      })
      .join('\n');
    const imported = await t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({
        instrumentId: instrument.body.id,
        periodStart: '2000-01-01',
        periodEnd: '2000-01-31',
      })
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(csv);
    expect(imported.status).toBe(201);
    expect(imported.body.respondents).toBe(expected.org.respondents);
    roundId = imported.body.roundId;
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('matches every group’s n, mean, sd, rwg(j) and single-item rwg', async () => {
    const rows = await t.db.query(
      `select u.key, ur.n, ur.mean, ur.sd, ur.rwg_j, ir.rwg as rwg_af06
         from unit_result ur join unit u on u.id = ur.unit_id
         join item_result ir on ir.round_id = ur.round_id and ir.unit_id = ur.unit_id and ir.item_key = 'AF06'
        where ur.round_id = $1 and ur.dimension = 'climate' and not ur.rollup`,
      [roundId],
    );
    const byKey = new Map(rows.rows.map((r: { key: string }) => [r.key, r]));
    expect(byKey.size).toBe(expected.org.groups);
    for (const g of expected.groups) {
      const r = byKey.get(`g${g.group}`) as unknown as {
        n: number;
        mean: number;
        sd: number;
        rwg_j: number;
        rwg_af06: number;
      };
      expect(r.n).toBe(g.n);
      expect(Math.abs(r.mean - g.mean)).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.sd - g.sd)).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.rwg_j - g.rwgJ)).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.rwg_af06 - g.rwgAF06)).toBeLessThan(TOLERANCE);
    }
  });

  it('matches the organisation’s ICC(1), ICC(2) and Cronbach’s alpha', async () => {
    const [org] = (
      await t.db.query(
        `select * from organisation_result where round_id = $1 and dimension = 'climate'`,
        [roundId],
      )
    ).rows;
    expect(org.respondents).toBe(expected.org.respondents);
    expect(org.teams).toBe(expected.org.groups);
    expect(Math.abs(org.icc1 - expected.org.icc1)).toBeLessThan(TOLERANCE);
    expect(Math.abs(org.icc2 - expected.org.icc2)).toBeLessThan(TOLERANCE);
    expect(Math.abs(org.alpha - expected.org.cronbach_alpha)).toBeLessThan(TOLERANCE);
  });

  it('gives the same results when two aggregations of the round run at once', async () => {
    const snapshot = async () =>
      JSON.stringify([
        (
          await t.db.query(
            `select * from unit_result where round_id = $1 order by unit_id, dimension, rollup`,
            [roundId],
          )
        ).rows,
        (
          await t.db.query(
            `select * from item_result where round_id = $1 order by unit_id, item_key`,
            [roundId],
          )
        ).rows,
        (
          await t.db.query(
            `select * from organisation_result where round_id = $1 order by dimension`,
            [roundId],
          )
        ).rows,
        (
          await t.db.query(`select * from flag where round_id = $1 order by unit_id, code`, [
            roundId,
          ])
        ).rows,
      ]);
    const before = await snapshot();
    const service = worker.get(AggregationService);
    const outcomes = await Promise.all([service.aggregate(roundId), service.aggregate(roundId)]);
    expect(outcomes.map((o) => o.status)).toEqual(['aggregated', 'aggregated']);
    expect(await snapshot()).toBe(before);
  });

  it('gives the same results when the job runs again', async () => {
    const snapshot = async () =>
      JSON.stringify(
        (
          await t.db.query(
            `select * from unit_result where round_id = $1 order by unit_id, dimension, rollup`,
            [roundId],
          )
        ).rows,
      );
    const before = await snapshot();
    await t.db.query('update round set aggregated_at = null where id = $1', [roundId]);
    await until(
      're-aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
    expect(await snapshot()).toBe(before);
  }, 60_000);
});
