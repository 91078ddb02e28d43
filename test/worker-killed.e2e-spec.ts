import { Client } from 'pg';
import { JobQueue, QUEUES } from '@trellis/jobs';
import { OrganisationsService, RosterImportService } from '@trellis/organisation';
import { AnswerSealer, HistoryImportService } from '@trellis/surveys';
import { generateOrganisation, historyCsv } from '@trellis/synthetic';
import { launch } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

/** Every table the aggregation job writes, with its natural key (the rows have no ids or timestamps). */
const RESULT_TABLES = {
  unit_result: 'unit_id, dimension, rollup',
  item_result: 'unit_id, item_key',
  organisation_result: 'dimension',
  team_round: 'unit_id',
  leader_self_result: 'unit_id, dimension',
  flag: 'unit_id, code',
} as const;

type Results = Record<keyof typeof RESULT_TABLES, unknown[]>;

async function results(db: Client, roundId: string): Promise<Results> {
  const out: Partial<Results> = {};
  for (const [table, key] of Object.entries(RESULT_TABLES)) {
    out[table as keyof Results] = (
      await db.query(`select * from ${table} where round_id = $1 order by ${key}`, [roundId])
    ).rows;
  }
  return out as Results;
}

/**
 * Built worker processes, SIGKILLed while the round.aggregate job is inside its transaction. The
 * kill lands at a known point: the test holds a lock the job needs next, waits until the worker's
 * connection is queued behind it (holding the job's advisory lock), then kills the process. Another
 * worker must then take the job over (BullMQ's stalled-job check, after the dead worker's claim
 * lapses) and leave exactly the rows an undisturbed run left.
 */
describe('a worker killed mid-aggregation', () => {
  let t: TestApp;
  let roundId: string;
  let undisturbed: Results;

  const workerEnv = () => ({
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_PREFIX: t.prefix,
    SCHEDULER_TICK_MS: '250',
    // A dead worker's claim lapses after 2 s instead of 30 s, and is looked for every second.
    JOB_LOCK_MS: '2000',
    JOB_STALLED_CHECK_MS: '1000',
  });

  /** The organisation's results basis, which the aggregation job's id carries. */
  const epoch = async (): Promise<string> =>
    (
      await t.db.query(
        'select o.results_epoch::text as epoch from round r join organisation o on o.id = r.organisation_id where r.id = $1',
        [roundId],
      )
    ).rows[0].epoch;

  const aggregatedAt = async (): Promise<Date | null> =>
    (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
      .aggregated_at;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '250' });
    const synthetic = generateOrganisation({ seed: 20261124, teams: 40, rounds: 3 });
    const org = await t.app
      .get(OrganisationsService)
      .create({ slug: 'killed', name: 'Killed mid-job' });
    await t.app.get(RosterImportService).import(org.id, synthetic.rosterCsv);
    // The undisturbed run, by a worker nobody disturbs: round after round, so the last round's
    // flags see the rounds before it.
    const worker = await startWorker();
    try {
      for (const round of synthetic.rounds) {
        const imported = await t.app.get(HistoryImportService).import(org.id, historyCsv(round), {
          periodStart: round.periodStart,
          periodEnd: round.periodEnd,
        });
        roundId = imported.roundId;
        await until(`aggregation of round ${round.index}`, aggregatedAt);
      }
      // Imports carry no leaders' self-views; ten leaders give theirs for the last round, stored
      // as the pulse stores a self-view, and the round is aggregated again with them.
      const [{ itemKeys }] = (
        await t.db.query<{ itemKeys: string[] }>(
          'select item_keys as "itemKeys" from round where id = $1',
          [roundId],
        )
      ).rows;
      const teams = await t.db.query<{ id: string }>(
        `select id from unit where organisation_id = $1 and kind = 'team' order by key limit 10`,
        [org.id],
      );
      const sealer = t.app.get(AnswerSealer);
      await t.db.query(
        `insert into response (organisation_id, round_id, unit_id, kind, source, submitted_on, sealed)
         select $2, $1, t.unit_id, 'leader_self', 'survey', current_date, t.sealed
           from unnest($3::uuid[], $4::bytea[]) as t(unit_id, sealed)`,
        [
          roundId,
          org.id,
          teams.rows.map((u) => u.id),
          teams.rows.map((u) =>
            sealer.sealAnswers(
              roundId,
              u.id,
              'leader_self',
              Object.fromEntries(itemKeys.map((key, i) => [key, 2 + ((i + 1) % 3)])),
            ),
          ),
        ],
      );
      await t.db.query('update round set aggregated_at = null where id = $1', [roundId]);
      await t.app.get(JobQueue).add('round.aggregate', { roundId, epoch: await epoch() });
      await until('aggregation with the self-views', aggregatedAt);
    } finally {
      await worker.close();
    }
    undisturbed = await results(t.db, roundId);
    await t.app.get(JobQueue).queue(QUEUES.aggregation).obliterate({ force: true });
  }, 120_000);

  afterAll(() => t.close());

  it('has an undisturbed run worth comparing with', () => {
    for (const rows of Object.values(undisturbed)) expect(rows.length).toBeGreaterThan(0);
    expect(undisturbed.team_round.length).toBeGreaterThanOrEqual(30);
  });

  /**
   * Starts a worker, waits until its aggregation transaction is queued behind the lock `blockSql`
   * takes (so every statement before that point has run), and SIGKILLs it. Returns once the dead
   * worker's database session has ended.
   */
  async function killMidJob(blockSql: string, params: unknown[], nextStatement: string) {
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(blockSql, params);
    const worker = launch('worker', workerEnv());
    try {
      await worker.waitFor(/processing jobs/);
      const pid = await until(`the worker to reach "${nextStatement}"`, async () => {
        const rows = await t.db.query<{ pid: number }>(
          `select a.pid from pg_stat_activity a
            where a.datname = current_database() and a.wait_event_type = 'Lock'
              and a.query ilike $1
              and exists (select 1 from pg_locks l
                           where l.pid = a.pid and l.locktype = 'advisory' and l.granted)`,
          [`${nextStatement}%`],
        );
        return rows.rows[0]?.pid;
      });
      worker.child.kill('SIGKILL');
      expect((await worker.finished).signal).toBe('SIGKILL');
      await blocker.query('rollback');
      // PostgreSQL notices the closed connection once the statement it waited on has run, and rolls back.
      await until(
        'the killed worker’s session to end',
        async () =>
          (await t.db.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount === 0,
      );
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null)
        worker.child.kill('SIGKILL');
      await blocker.end();
    }
  }

  /** A second worker takes the stalled job over and finishes it. */
  async function recoverWithAnotherWorker() {
    const worker = launch('worker', workerEnv());
    try {
      await until('another worker to finish the aggregation', aggregatedAt, 45_000);
      const queue = t.app.get(JobQueue).queue(QUEUES.aggregation);
      // Finished and gone from the queue: nothing is left active, waiting or failed.
      await until('the job to leave the queue', async () => {
        const counts = await queue.getJobCounts('active', 'wait', 'failed', 'delayed');
        return Object.values(counts).every((n) => n === 0);
      });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
  }

  it('killed after writing every result, before committing: nothing half-written survives, and another worker finishes', async () => {
    // A round that has just closed and was never aggregated.
    await t.db.query('begin');
    for (const table of Object.keys(RESULT_TABLES))
      await t.db.query(`delete from ${table} where round_id = $1`, [roundId]);
    await t.db.query('update round set aggregated_at = null where id = $1', [roundId]);
    await t.db.query('commit');

    // The job's last statement stamps the round; holding the round row makes it wait there,
    // with every result row already written inside its transaction.
    await killMidJob(
      'select 1 from round where id = $1 for share',
      [roundId],
      'update round set aggregated_at',
    );

    const afterKill = await results(t.db, roundId);
    for (const rows of Object.values(afterKill)) expect(rows).toEqual([]);
    expect(await aggregatedAt()).toBeNull();

    await recoverWithAnotherWorker();
    expect(await results(t.db, roundId)).toEqual(undisturbed);
  }, 90_000);

  it('killed while replacing earlier results: the earlier results stay whole, and another worker finishes', async () => {
    // What a late history import leaves: results from before, and the round due for aggregation again.
    await t.db.query('update round set aggregated_at = null where id = $1', [roundId]);
    await t.app.get(JobQueue).add('round.aggregate', { roundId, epoch: await epoch() });

    // The job clears flag, leader_self_result, team_round and organisation_result first, then waits
    // here to clear item_result.
    await killMidJob('lock table item_result in share mode', [], 'delete from item_result');

    expect(await results(t.db, roundId)).toEqual(undisturbed);
    expect(await aggregatedAt()).toBeNull();

    await recoverWithAnotherWorker();
    expect(await aggregatedAt()).not.toBeNull();
    expect(await results(t.db, roundId)).toEqual(undisturbed);
  }, 90_000);
});
