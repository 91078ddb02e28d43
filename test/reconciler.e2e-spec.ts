import { Client } from 'pg';
import { JobQueue, QUEUES, jobId } from '@trellis/jobs';
import { OrganisationsService, RosterImportService } from '@trellis/organisation';
import { CampaignsService, HistoryImportService, RoundsService } from '@trellis/surveys';
import { generateOrganisation, historyCsv } from '@trellis/synthetic';
import { admin } from './support/databases';
import { startMailbox } from './support/mailbox';
import { launch } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * Jobs that fail for good — a job stalled twice by killed workers, a job out of attempts while
 * PostgreSQL refused connections — are kept by Redis under their deterministic ids, and adding
 * that id again is a no-op. The reconciler must notice the work is still due in PostgreSQL and
 * get it done, exactly once, without anyone wiping Redis.
 */
describe('the reconciler', () => {
  let t: TestApp;
  let orgId: string;
  let database: string;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const synthetic = generateOrganisation({ seed: 20261205, teams: 12, rounds: 2 });

  const workerEnv = () => ({
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_PREFIX: t.prefix,
    SMTP_URL: mailbox.url,
    SCHEDULER_TICK_MS: '250',
    JOB_LOCK_MS: '2000',
    JOB_STALLED_CHECK_MS: '1000',
    JOB_REDRIVE_DELAY_MS: '500',
  });

  const roundState = async (roundId: string) =>
    (
      await t.db.query<{ status: string; aggregated_at: Date | null }>(
        'select status, aggregated_at from round where id = $1',
        [roundId],
      )
    ).rows[0];
  /** The aggregation job of a round is for its organisation's current results basis. */
  const aggregateJobId = async (roundId: string) => {
    const { rows } = await t.db.query<{ epoch: string }>(
      `select o.results_epoch::text as epoch from round r join organisation o on o.id = r.organisation_id
        where r.id = $1`,
      [roundId],
    );
    return jobId('round.aggregate', { roundId, epoch: rows[0].epoch });
  };
  const stateOf = async (queue: string, id: string) =>
    (await (
      await t.app
        .get(JobQueue)
        .queue(queue as 'surveys')
        .getJob(id)
    )?.getState()) ?? 'gone';

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SCHEDULER_TICK_MS: '250', SMTP_URL: mailbox.url });
    database = (await t.db.query<{ name: string }>('select current_database() as name')).rows[0]
      .name;
    const org = await t.app
      .get(OrganisationsService)
      .create({ slug: 'reconcile', name: 'Reconciled' });
    orgId = org.id;
    await t.app.get(RosterImportService).import(org.id, synthetic.rosterCsv);
  }, 60_000);

  afterAll(async () => {
    await admin((c) => c.query(`alter database ${database} with allow_connections true`));
    await t.close();
    await mailbox.close();
  });

  const importRound = async (index: number) => {
    const round = synthetic.rounds[index];
    return (
      await t.app.get(HistoryImportService).import(orgId, historyCsv(round), {
        periodStart: round.periodStart,
        periodEnd: round.periodEnd,
      })
    ).roundId;
  };

  /** Starts a worker, waits until its aggregation is queued behind `blocker`'s lock, kills it. */
  async function killMidAggregation(roundId: string) {
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select 1 from round where id = $1 for share', [roundId]);
    const worker = launch('worker', workerEnv());
    try {
      await worker.waitFor(/processing jobs/);
      const pid = await until('the worker to reach the end of its aggregation', async () => {
        const rows = await t.db.query<{ pid: number }>(
          `select a.pid from pg_stat_activity a
            where a.datname = current_database() and a.wait_event_type = 'Lock'
              and a.query ilike 'update round set aggregated_at%'`,
        );
        return rows.rows[0]?.pid;
      });
      worker.child.kill('SIGKILL');
      await worker.finished;
      await blocker.query('rollback');
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

  it('aggregates a round whose job two killed workers left failed', async () => {
    const roundId = await importRound(0);
    await killMidAggregation(roundId);
    await killMidAggregation(roundId);
    expect((await roundState(roundId)).aggregated_at).toBeNull();

    const worker = launch('worker', workerEnv());
    try {
      // The third worker's stalled check fails the job for good (stalled twice)…
      await until('the aggregation to be aggregated', async () =>
        (await roundState(roundId)).aggregated_at ? true : null,
      );
      // …and the failure was written down with its error before the job was queued again.
      const failure = await t.db.query(
        `select name, error, organisation_id from job_failure where job_id = $1`,
        [await aggregateJobId(roundId)],
      );
      expect(failure.rows).toEqual([
        {
          name: 'round.aggregate',
          error: expect.stringMatching(/stalled/),
          organisation_id: orgId,
        },
      ]);
      await until('nothing failed or waiting in the aggregation queue', async () => {
        const counts = await t.app
          .get(JobQueue)
          .queue(QUEUES.aggregation)
          .getJobCounts('active', 'wait', 'failed', 'delayed');
        return Object.values(counts).every((n) => n === 0);
      });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
    const teams = await t.db.query(
      'select count(*)::int as n from team_round where round_id = $1',
      [roundId],
    );
    expect(teams.rows[0].n).toBe(12);
  }, 120_000);

  it('invites and aggregates once PostgreSQL is back after refusing connections for longer than the retries last', async () => {
    const worker = launch('worker', { ...workerEnv(), JOB_LOCK_MS: '30000' });
    const jobs = t.app.get(JobQueue);
    try {
      await worker.waitFor(/processing jobs/);
      // Work waits for the worker while the queues are paused: a closed round to aggregate, and
      // an open round whose invitations are to be sent.
      await jobs.queue(QUEUES.surveys).pause();
      await jobs.queue(QUEUES.aggregation).pause();
      const closedRound = await importRound(1);
      const someone = (
        await t.db.query<{ id: string }>(
          'select id from person where organisation_id = $1 limit 1',
          [orgId],
        )
      ).rows[0].id;
      const opened = new Date(Date.now() - 5 * 60_000);
      const campaign = await t.app.get(CampaignsService).create(orgId, someone, {
        name: 'Outage pulse',
        form: 'short',
        cadence: 'cron',
        cron: `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`,
        timezone: 'UTC',
        openDays: 0.9,
        reminderDays: [],
        leaderSelfView: false,
        startsOn: new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10),
        teamIds: (
          await t.db.query<{ id: string }>(
            `select id from unit where organisation_id = $1 and kind = 'team'`,
            [orgId],
          )
        ).rows.map((r) => r.id),
      });
      const rounds = t.app.get(RoundsService);
      const open = (await rounds.dueWork(new Date())).open.find(
        (o) => o.campaignId === campaign.id,
      )!;
      const openRound = (await rounds.open(campaign.id, open.opensAt))!;
      await jobs.add('round.invite', { roundId: openRound });
      const invited = (
        await t.db.query<{ n: number }>(
          'select count(*)::int as n from invitation where round_id = $1',
          [openRound],
        )
      ).rows[0].n;
      expect(invited).toBeGreaterThan(20);

      // PostgreSQL goes: sessions ended, new ones refused (the test keeps its own to look).
      await admin((c) => c.query(`alter database ${database} with allow_connections false`));
      await t.db.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
      );
      await jobs.queue(QUEUES.surveys).resume();
      await jobs.queue(QUEUES.aggregation).resume();
      // Until both jobs are out of attempts.
      await until(
        'both jobs to fail for good',
        async () =>
          (await stateOf(QUEUES.surveys, jobId('round.invite', { roundId: openRound }))) ===
            'failed' &&
          (await stateOf(QUEUES.aggregation, await aggregateJobId(closedRound))) === 'failed',
        90_000,
      );
      await admin((c) => c.query(`alter database ${database} with allow_connections true`));

      await until(
        'every invitation to be sent and the closed round aggregated',
        async () => {
          const unsent = await t.db.query<{ n: number }>(
            'select count(*)::int as n from invitation where round_id = $1 and sent_at is null',
            [openRound],
          );
          return unsent.rows[0].n === 0 && (await roundState(closedRound)).aggregated_at;
        },
        90_000,
      );
      // Exactly once: one email per invitation, nobody twice.
      await until('the mails to arrive', async () => mailbox.mails.length >= invited);
      const recipients = mailbox.mails.map((m) => m.to);
      expect(recipients.length).toBe(invited);
      expect(new Set(recipients).size).toBe(invited);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await admin((c) => c.query(`alter database ${database} with allow_connections true`));
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
    // The worker's log stayed structured: one JSON object a line, no bare stack traces.
    const { stdout, stderr } = await worker.finished;
    const unstructured = `${stdout}\n${stderr}`
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('{') && !/^trellis worker:/.test(line));
    expect(unstructured).toEqual([]);
  }, 240_000);
});
