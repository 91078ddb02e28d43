import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import type { Job } from 'bullmq';
import { AggregationService } from '@trellis/aggregation';
import { AggregationProcessor } from '../apps/worker/src/aggregation.processor';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

/**
 * A round's flags compare with its earlier rounds, so an organisation's rounds become current in
 * period order. A later round may still go ahead while the earlier one is being aggregated: it
 * waits for it just before its flags, and keeps nothing if the earlier one does not end current.
 * The earlier round's aggregation is played here by a connection holding its lock.
 */
describe('aggregation: a round goes ahead beside the earlier round being aggregated', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let service: AggregationService;
  let zeroth: string;
  let first: string;
  let second: string;
  let holder: Client;
  let changer: Client;

  const state = async (roundId: string) =>
    (
      await t.db.query<{ current: boolean; aggregatedAt: Date | null; flags: number }>(
        `select r.aggregated_at is not null and r.results_epoch = o.results_epoch as current,
                r.aggregated_at as "aggregatedAt",
                (select count(*)::int from flag f where f.round_id = r.id) as flags
           from round r join organisation o on o.id = r.organisation_id where r.id = $1`,
        [roundId],
      )
    ).rows[0];

  /** Both rounds stale, as after a settings change; no job runs (the tick is an hour away). */
  const newBasis = () =>
    t.db.query('update organisation set results_epoch = results_epoch + 1 where id = $1', [
      org.orgId,
    ]);

  /** An earlier round current on the new basis, as its aggregation leaves it. */
  const makeCurrent = (roundId: string) =>
    t.db.query(
      `update round set aggregated_at = now(),
              results_epoch = (select results_epoch from organisation where id = $2) where id = $1`,
      [roundId, org.orgId],
    );

  /** Earlier rounds "being aggregated": their locks held in an open transaction. */
  const hold = async (...roundIds: string[]) => {
    await holder.query('begin');
    for (const id of roundIds)
      await holder.query(`select pg_advisory_xact_lock(hashtext($1))`, [`aggregate:${id}`]);
  };

  /** Until `waiters` aggregations (the later round's, by default alone) wait on a held lock. */
  const waitingOnLock = (waiters = 1) =>
    until(`${waiters} aggregation(s) to wait for the earlier round`, async () => {
      const { rows } = await t.db.query(
        `select 1 from pg_locks where locktype = 'advisory' and not granted and database =
           (select oid from pg_database where datname = current_database())`,
      );
      return rows.length >= waiters;
    });

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '3600000' });
    worker = await startWorker();
    service = worker.get(AggregationService);
    org = await createOrg(t.app, 'beside');
    const hr = await signIn(t.http, org.hr.email);
    const csv = (pattern: 'micromanaged' | 'healthy') =>
      historyCsv([...historyRows('platform', 6, pattern), ...historyRows('sales', 6, 'healthy')]);
    zeroth = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2024-12-02', periodEnd: '2024-12-15' },
      csv('healthy'),
    );
    first = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-01-06', periodEnd: '2025-01-19' },
      csv('healthy'),
    );
    second = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-02-03', periodEnd: '2025-02-16' },
      csv('micromanaged'),
    );
    holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    changer = new Client({ connectionString: process.env.DATABASE_URL });
    await changer.connect();
  }, 120_000);

  afterAll(async () => {
    await holder?.end();
    await changer?.end();
    await worker?.close();
    await t?.close();
  });

  it('waits for the earlier round before its flags, then compares with its results', async () => {
    const before = await state(second);
    expect(before.flags).toBeGreaterThan(0);
    await newBasis();
    await makeCurrent(zeroth);
    await hold(first);
    let settled = false;
    const outcome = service.aggregate(second).finally(() => {
      settled = true;
    });
    await waitingOnLock();
    expect(settled).toBe(false);
    // The earlier round ends current on the new basis (as its own aggregation would leave it).
    await holder.query(
      `update round set aggregated_at = now(),
              results_epoch = (select results_epoch from organisation where id = $2) where id = $1`,
      [first, org.orgId],
    );
    await holder.query('commit');
    expect((await outcome).status).toBe('aggregated');
    const after = await state(second);
    expect(after.current).toBe(true);
    // The same comparisons as before: the earlier round's results were read once it had ended.
    expect(after.flags).toBe(before.flags);
  });

  it('keeps nothing, and waits its turn, when the earlier round does not end current', async () => {
    await newBasis();
    await makeCurrent(zeroth);
    const before = await state(second);
    expect(before.current).toBe(false);
    await hold(first);
    const outcome = service.aggregate(second);
    await waitingOnLock();
    await holder.query('rollback');
    expect(await outcome).toEqual({ status: 'skipped', reason: 'waiting' });
    const after = await state(second);
    expect(after).toEqual(before);
  });

  it('goes ahead beside one round only: two earlier rounds stale, it waits its turn', async () => {
    await newBasis();
    const before = await state(second);
    await hold(zeroth, first);
    try {
      expect(await service.aggregate(second)).toEqual({ status: 'skipped', reason: 'waiting' });
    } finally {
      await holder.query('rollback');
    }
    expect(await state(second)).toEqual(before);
  });

  it('does not go ahead beside while a change of the basis waits for the organisation', async () => {
    await newBasis();
    await makeCurrent(zeroth);
    const before = await state(second);
    // The earlier round's aggregation holds the organisation's row for share, and a unit move
    // (here: a lock of the row for update) waits for it.
    await hold(first);
    await holder.query('select 1 from organisation where id = $1 for share', [org.orgId]);
    await changer.query('begin');
    const change = changer.query('select 1 from organisation where id = $1 for update', [
      org.orgId,
    ]);
    await until('the change to wait for the organisation', async () => {
      const { rows } = await t.db.query(
        `select 1 from pg_locks where locktype = 'tuple' and granted
            and relation = 'organisation'::regclass`,
      );
      return rows.length > 0;
    });
    try {
      expect(await service.aggregate(second)).toEqual({ status: 'skipped', reason: 'waiting' });
    } finally {
      await holder.query('rollback');
      await change;
      await changer.query('rollback');
    }
    expect(await state(second)).toEqual(before);
  });

  it('does not go ahead while the earlier round is stale and nobody is aggregating it', async () => {
    await newBasis();
    await makeCurrent(zeroth);
    const before = await state(second);
    expect(before.current).toBe(false);
    expect(await service.aggregate(second)).toEqual({ status: 'skipped', reason: 'waiting' });
    expect(await state(second)).toEqual(before);
    // In period order, both end current.
    expect((await service.aggregate(first)).status).toBe('aggregated');
    expect((await service.aggregate(second)).status).toBe('aggregated');
    expect((await state(second)).current).toBe(true);
  });
  it('when a round ends beside the next, the one after that goes ahead beside the next at once', async () => {
    await newBasis();
    const { rows } = await t.db.query<{ epoch: string }>(
      `select results_epoch::text as epoch from organisation where id = $1`,
      [org.orgId],
    );
    // The first round is being aggregated (its lock held here; its own job, queued when the
    // zeroth goes ahead, waits for that lock in the worker too).
    await hold(first);
    try {
      const ended = await worker.get(AggregationProcessor).process({
        name: 'round.aggregate',
        data: { roundId: zeroth, epoch: rows[0].epoch },
      } as unknown as Job);
      expect(ended).toMatchObject({ status: 'aggregated' });
      // The second round went ahead beside the first while that one still runs: it waits for
      // the first round's lock just before its flags, as the first round's own job does.
      await waitingOnLock(2);
    } finally {
      await holder.query('rollback');
    }
    await until('every round current', async () => {
      for (const id of [zeroth, first, second]) if (!(await state(id)).current) return false;
      return true;
    });
    expect((await state(second)).flags).toBeGreaterThan(0);
  });
});
