import type { INestApplicationContext } from '@nestjs/common';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

const K = 5;

/** People describing a micromanaged team: no room to decide, a lot of control. */
function rows(teamKey: string, people: number): string[] {
  const items = AUTONOMY_ALIGNMENT_PULSE.items;
  const value = (dimension: string, reverse: boolean, i: number) => {
    const raw =
      dimension === 'decision_rights'
        ? 1 + (i % 2)
        : dimension === 'over_control'
          ? 5 - (i % 2)
          : 4;
    return reverse ? 6 - raw : raw;
  };
  return Array.from({ length: people }, (_, i) =>
    [teamKey, ...items.map((it) => value(it.dimension, it.reverse, i))].join(','),
  );
}

interface HeatRow {
  unit: { id: string; parentId: string | null };
  shown: boolean;
  respondents: number;
  cells?: Record<string, { mean: number } | null>;
  message?: string;
}

describe('reports: the team report, the heatmap and participation', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let hr: string;
  let leader: string;
  let infraId: string;
  let roundId: string;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    org = await createOrg(t.app, 'reports');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    const infra = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'Infra', key: 'infra', kind: 'team', parentId: org.deptId });
    infraId = infra.body.id;
    // Engineering: Platform 6 (+ Platform Data 2 below it), Infra 3. Sales 7.
    const csv = [
      ['team', ...AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key)].join(','),
      ...rows('platform', 6),
      ...rows('platform-data', 2),
      ...rows('infra', 3),
      ...rows('sales', 7),
    ].join('\n');
    const imported = await t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({ periodStart: '2025-03-03', periodEnd: '2025-03-16' })
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(csv);
    expect(imported.status).toBe(201);
    roundId = imported.body.roundId;
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('heatmap: hidden cells hold no numbers, and no two shown aggregates differ by 1..k−1 people', async () => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/heatmap`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body.round.id).toBe(roundId);
    const heat = res.body.rows as HeatRow[];
    const byId = new Map(heat.map((r) => [r.unit.id, r]));
    expect(byId.get(org.rootId)).toMatchObject({ shown: true, respondents: 18 });
    expect(byId.get(org.subTeamId)).toEqual({
      unit: expect.objectContaining({ id: org.subTeamId }),
      shown: false,
      respondents: 2,
      message: `not enough responses to show (fewer than ${K})`,
    });
    expect(byId.get(infraId)?.shown).toBe(false);
    for (const row of heat) {
      if (!row.shown) expect(row.cells).toBeUndefined();
    }
    // Engineering (11) minus Platform (8) would reveal Infra's 3: one of the two must be hidden.
    expect(byId.get(org.deptId)?.shown && byId.get(org.teamId)?.shown).toBe(false);
    const parent = new Map(heat.map((r) => [r.unit.id, r.unit.parentId]));
    const contains = (ancestor: string, unit: string) => {
      for (let id: string | null | undefined = unit; id; id = parent.get(id))
        if (id === ancestor) return true;
      return false;
    };
    const shown = heat.filter((r) => r.shown);
    for (const a of shown) {
      for (const b of shown) {
        if (a !== b && contains(a.unit.id, b.unit.id)) {
          const difference = a.respondents - b.respondents;
          expect(difference === 0 || difference >= K).toBe(true);
        }
      }
    }
  });

  it('team report: a shown team gets scores with intervals, the organisation benchmark, flags and items', async () => {
    const res = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    const latest = res.body.latest;
    expect(latest).toMatchObject({ shown: true, respondents: 7, quadrant: 'micromanagement_risk' });
    const autonomy = latest.dimensions.find((d: { key: string }) => d.key === 'decision_rights');
    expect(autonomy.mean).toBeCloseTo(1 + 3 / 7, 9);
    expect(autonomy.ciLow).toBeLessThan(autonomy.mean);
    expect(autonomy.benchmark).toEqual(expect.objectContaining({ mean: expect.any(Number) }));
    // The failures Trellis exists for lead the list.
    expect(res.body.flags[0].code).toBe('micromanagement');
    const flag = res.body.flags.find((f: { code: string }) => f.code === 'micromanagement');
    expect(flag.explanation).toMatch(/\w+ \w+/);
    expect(flag.actions.length).toBeGreaterThanOrEqual(2);
    expect(res.body.items).toHaveLength(AUTONOMY_ALIGNMENT_PULSE.items.length);
    expect(res.body.items[0].distribution).toHaveLength(5);
    expect(res.body.trends).toHaveLength(1);
  });

  it('team report: numbers from a unit’s own respondents appear only when that group may be shown', async () => {
    // A team's total next to its own respondents alone would give away a tiny sub-team by subtraction.
    for (const unitId of [
      org.rootId,
      org.deptId,
      org.teamId,
      org.subTeamId,
      org.otherTeamId,
      infraId,
    ]) {
      const { body } = await t.http
        .get(`/units/${unitId}/report`)
        .set('authorization', `Bearer ${hr}`);
      if (body.latest?.shown && !body.latest.ownShown) {
        expect(body.latest.quadrant).toBeNull();
        expect(body.flags).toEqual([]);
        expect(body.items).toEqual([]);
      }
    }
    // Platform: 6 of its own, 2 in Platform Data below it; its own group stays hidden, so it has no flags.
    const flags = await t.db.query(
      'select count(*)::int as n from flag where round_id = $1 and unit_id = $2',
      [roundId, org.teamId],
    );
    expect(flags.rows[0].n).toBe(0);
    const sales = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${hr}`);
    expect(sales.body.latest.ownShown).toBe(true);
  });

  it('team report: a hidden group gets its count and one sentence, nothing else', async () => {
    const res = await t.http
      .get(`/units/${org.subTeamId}/report`)
      .set('authorization', `Bearer ${leader}`);
    expect(res.status).toBe(200);
    expect(res.body.latest).toEqual({
      round: expect.objectContaining({ id: roundId }),
      respondents: 2,
      responseRate: null,
      shown: false,
      message: `not enough responses to show (fewer than ${K})`,
    });
    expect(res.body.flags).toEqual([]);
    expect(res.body.items).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/"mean"|"score"|"distribution"/);
  });

  it('participation: respondents per round', async () => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/participation`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ roundId, respondents: 18, invited: null, responseRate: null }),
    ]);
  });

  describe('commitments as small experiments', () => {
    it('refuses a bad commitment naming the field, and writes nothing', async () => {
      for (const [body, field] of [
        [{ action: 'x', owner: 'y', dueOn: '2026-02-30', dimension: 'decision_rights' }, 'dueOn'],
        [{ action: 'x', owner: 'y', dueOn: '2030-12-30', dimension: 'bogus' }, 'dimension'],
        [
          { action: '   ', owner: 'y', dueOn: '2030-12-30', dimension: 'decision_rights' },
          'action',
        ],
        // Values of the wrong type, and fields no commitment has, are named too.
        [
          { action: ['x'], owner: 'y', dueOn: '2030-12-30', dimension: 'decision_rights' },
          'action',
        ],
        [{ action: 'x', owner: 'y', dueOn: 20261230, dimension: 'decision_rights' }, 'dueOn'],
        [
          { action: 'x', owner: 'y', dueOn: '2030-12-30', dimension: 'decision_rights', by: 'z' },
          'by',
        ],
      ] as const) {
        const res = await t.http
          .post(`/units/${org.otherTeamId}/commitments`)
          .set('authorization', `Bearer ${hr}`)
          .send(body);
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // A body that is not an object at all.
      for (const body of [[], 'text']) {
        const res = await t.http
          .post(`/units/${org.otherTeamId}/commitments`)
          .set('authorization', `Bearer ${hr}`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(body));
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect((await t.db.query('select count(*)::int as n from commitment')).rows[0].n).toBe(0);
    });

    it('shows whether the dimension moved since, with its interval', async () => {
      const created = await t.http
        .post(`/units/${org.otherTeamId}/commitments`)
        .set('authorization', `Bearer ${hr}`)
        .send({
          action: 'Delegate the weekly pricing decision, with its boundaries',
          owner: 'Sales lead',
          dueOn: '2030-04-30',
          dimension: 'decision_rights',
          flagCode: 'micromanagement',
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ roundId, status: 'open', progress: null });

      // The next round: the team now decides for itself.
      const items = AUTONOMY_ALIGNMENT_PULSE.items;
      const freer = Array.from({ length: 7 }, (_, i) =>
        [
          'sales',
          ...items.map((it) => {
            const raw =
              it.dimension === 'decision_rights'
                ? 4 + (i % 2)
                : it.dimension === 'over_control'
                  ? 2
                  : 4;
            return it.reverse ? 6 - raw : raw;
          }),
        ].join(','),
      );
      const next = await t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .query({ periodStart: '2025-03-17', periodEnd: '2025-03-30' })
        .set('authorization', `Bearer ${hr}`)
        .type('text/csv')
        .send([['team', ...items.map((i) => i.key)].join(','), ...freer].join('\n'));
      expect(next.status).toBe(201);
      await until(
        'aggregation',
        async () =>
          (await t.db.query('select aggregated_at from round where id = $1', [next.body.roundId]))
            .rows[0].aggregated_at,
      );

      const report = await t.http
        .get(`/units/${org.otherTeamId}/report`)
        .set('authorization', `Bearer ${hr}`);
      const [commitment] = report.body.commitments;
      expect(commitment.progress.change.delta).toBeCloseTo(4 + 3 / 7 - (1 + 3 / 7), 9);
      expect(commitment.progress.change.ciLow).toBeGreaterThan(0);
      expect(commitment.progress.change.verdict).toBe('improved');
      expect(report.body.trends).toHaveLength(2);

      const done = await t.http
        .patch(`/commitments/${commitment.id}`)
        .set('authorization', `Bearer ${hr}`)
        .send({ status: 'done' });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('done');
    });
  });
});
