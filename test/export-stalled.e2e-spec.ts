import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiTokensService } from '@trellis/identity';
import { createOrg, principalOf, signIn, type OrgFixture } from './support/fixtures';
import { launch } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * A background export whose worker is killed twice while it writes: its job fails for good by
 * stalling, with the export left `running` and a half-written `.part` file behind. The sweep
 * must see that nobody is building it, queue it again, and delete the orphaned file.
 */
describe('an export whose job stalled out', () => {
  let t: TestApp;
  let org: OrgFixture;
  let token: string;
  const exportDir = mkdtempSync(join(tmpdir(), 'trellis-stalled-'));

  const workerEnv = () => ({
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_PREFIX: t.prefix,
    EXPORT_DIR: exportDir,
    SCHEDULER_TICK_MS: '250',
    JOB_LOCK_MS: '2000',
    JOB_STALLED_CHECK_MS: '1000',
    JOB_REDRIVE_DELAY_MS: '500',
  });

  beforeAll(async () => {
    t = await createTestApp({ EXPORT_DIR: exportDir });
    org = await createOrg(t.app, 'stalled');
    token = (await t.app.get(ApiTokensService).create(principalOf(org, 'hr'), 'exports')).token;
  });

  afterAll(async () => {
    await t.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  const status = async (id: string) =>
    (await t.db.query<{ status: string }>('select status from export where id = $1', [id])).rows[0]
      .status;
  const parts = () => readdirSync(exportDir).filter((name) => name.endsWith('.part'));

  /** A worker starts the export, is caught waiting for the results table, and is SIGKILLed. */
  async function killWhileWriting(id: string) {
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table unit_result in access exclusive mode');
    const worker = launch('worker', workerEnv());
    try {
      const pid = await until(
        'the export to wait for the results table',
        async () => {
          const rows = await t.db.query<{ pid: number }>(
            `select a.pid from pg_stat_activity a
            where a.datname = current_database() and a.wait_event_type = 'Lock'
              and a.query ilike 'copy%'`,
          );
          return (await status(id)) === 'running' && parts().length > 0 && rows.rows[0]?.pid;
        },
        60_000,
        async () => ({
          status: await status(id),
          parts: parts(),
          activity: (
            await t.db.query(
              `select wait_event_type, left(query, 60) as query from pg_stat_activity where datname = current_database()`,
            )
          ).rows,
        }),
      );
      worker.child.kill('SIGKILL');
      await worker.finished;
      await blocker.query('rollback');
      await until(
        'the killed worker’s sessions to end, its builder lock with them',
        async () =>
          (await t.db.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount ===
            0 &&
          (
            await t.db.query(
              `select 1 from pg_locks l join pg_database d on d.oid = l.database
                where l.locktype = 'advisory' and d.datname = current_database()`,
            )
          ).rowCount === 0,
      );
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null)
        worker.child.kill('SIGKILL');
      await blocker.end();
    }
  }

  it('is queued again and built, and its half-written files are deleted', async () => {
    const created = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${token}`)
      .send({ format: 'csv' });
    expect(created.status).toBe(202);
    const id = created.body.id as string;

    await killWhileWriting(id);
    await killWhileWriting(id);
    expect(await status(id)).toBe('running');
    expect(parts().length).toBeGreaterThan(0);

    // Admins see it as unfinished work, from PostgreSQL; HR does not get the page.
    const admin = await signIn(t.http, org.admin.email);
    const work = () =>
      t.http.get(`/organisations/${org.orgId}/work`).set('authorization', `Bearer ${admin}`);
    const stuck = await work();
    expect(stuck.status).toBe(200);
    expect(stuck.body.unfinished.exports).toEqual([
      expect.objectContaining({ exportId: id, status: 'running' }),
    ]);
    const asHr = await t.http
      .get(`/organisations/${org.orgId}/work`)
      .set('authorization', `Bearer ${await signIn(t.http, org.hr.email)}`);
    expect(asHr.status).toBe(403);

    const worker = launch('worker', workerEnv());
    let after: Awaited<ReturnType<typeof work>>;
    try {
      await until('the export to be ready', async () => (await status(id)) === 'ready');
      await until('no half-written file left', async () => parts().length === 0);
      // The sweep after the build marks the failure resolved; the worker runs until it has.
      after = await until('the failure to be marked resolved', async () => {
        const res = await work();
        const failed = res.body.failedJobs as { resolvedAt: string | null }[];
        return failed.length > 0 && failed.every((f) => f.resolvedAt !== null) ? res : null;
      });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.finished;
    }
    expect(readdirSync(exportDir)).toEqual([`${id}.csv`]);

    // The failure stays listed, with its error, resolved now that the export is built.
    expect(after.body.unfinished.exports).toEqual([]);
    expect(after.body.failedJobs).toEqual([
      expect.objectContaining({
        name: 'export.build',
        error: expect.stringMatching(/stalled/),
        resolvedAt: expect.any(String),
      }),
    ]);
    expect(after.body.queues.exports).toEqual(expect.objectContaining({ failed: 0 }));
  }, 120_000);
});
