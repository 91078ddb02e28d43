import type { INestApplicationContext } from '@nestjs/common';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { until } from './support/until';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

/** Six people describing a micromanaged team: no room to decide, a lot of control. */
function micromanagedCsv(teamKey: string, people: number): string {
  const items = AUTONOMY_ALIGNMENT_PULSE.items;
  const value = (dimension: string, reverse: boolean) => {
    const raw = dimension === 'decision_rights' ? 1 : dimension === 'over_control' ? 5 : 4;
    return reverse ? 6 - raw : raw;
  };
  const row = [teamKey, ...items.map((i) => value(i.dimension, i.reverse))].join(',');
  return [
    ['team', ...items.map((i) => i.key)].join(','),
    ...Array.from({ length: people }, () => row),
  ].join('\n');
}

describe('organisation settings: anonymity minimums and flag thresholds', () => {
  let t: TestApp;
  let org: OrgFixture;
  let admin: string;
  let hr: string;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    org = await createOrg(t.app, 'settings');
    admin = await signIn(t.http, org.admin.email);
    hr = await signIn(t.http, org.hr.email);
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('starts from the model’s defaults', async () => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body.anonymity).toEqual({ minGroupSize: 5, minCommentGroup: 10 });
    expect(res.body.flags.micromanagement).toEqual({ controlAtLeast: 3.5, autonomyAtMost: 3 });
  });

  it.each([
    [{ anonymity: { minGroupSize: 2 } }, 'anonymity.minGroupSize'],
    [{ anonymity: { minGroupSize: 6, minCommentGroup: 5 } }, 'anonymity.minCommentGroup'],
    [
      { flags: { micromanagement: { controlAtLeast: 'high' } } },
      'flags.micromanagement.controlAtLeast',
    ],
    [{ flags: { nonsense: {} } }, 'flags.nonsense'],
    [{ colours: 'blue' }, 'colours'],
  ])('refuses %j naming %s, and stores nothing', async (body, field) => {
    const before = (
      await t.db.query('select settings from organisation where id = $1', [org.orgId])
    ).rows[0];
    const res = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(
      (await t.db.query('select settings from organisation where id = $1', [org.orgId])).rows[0],
    ).toEqual(before);
  });

  it('applies a raised minimum group size: six respondents are then too few to flag', async () => {
    const importRound = async (periodStart: string, periodEnd: string) => {
      const res = await t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .query({ periodStart, periodEnd })
        .set('authorization', `Bearer ${hr}`)
        .type('text/csv')
        .send(micromanagedCsv('platform', 6));
      expect(res.status).toBe(201);
      const roundId: string = res.body.roundId;
      await until(
        'aggregation',
        async () =>
          (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
            .aggregated_at,
      );
      return (
        await t.db.query('select code from flag where round_id = $1 and unit_id = $2', [
          roundId,
          org.teamId,
        ])
      ).rows.map((r: { code: string }) => r.code);
    };
    expect(await importRound('2025-01-06', '2025-01-19')).toContain('micromanagement');

    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ anonymity: { minGroupSize: 8, minCommentGroup: 10 } });
    expect(saved.status).toBe(200);
    expect(saved.body.anonymity.minGroupSize).toBe(8);
    expect(await importRound('2025-02-03', '2025-02-16')).toEqual([]);
  });
});
