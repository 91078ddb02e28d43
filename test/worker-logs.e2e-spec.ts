import { admin, createTestDatabase } from './support/databases';
import { startPrivateRedis } from './support/private-redis';
import { launch } from './support/processes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The plain lines a worker prints by design; everything else must be one JSON object per line. */
const PLAIN = [/^trellis worker: processing jobs$/, /^trellis worker: stopped( on SIG[A-Z]+)?$/];

/**
 * Issue 13, item 8: during an outage the worker's log filled with unstructured stack traces,
 * which log shippers split into one meaningless event per line. A built worker rides out a Redis
 * outage and then a PostgreSQL one; every line it prints must be a structured log entry (or one
 * of its two plain lines).
 */
describe('worker logs through a Redis and a PostgreSQL outage', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let output = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startPrivateRedis();
    const worker = launch('worker', {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'trellis-test-worker-logs',
      LOG_LEVEL: 'info',
      SCHEDULER_TICK_MS: '250',
      JOB_STALLED_CHECK_MS: '500',
    });
    try {
      await worker.waitFor(/processing jobs/);
      await redis.stop();
      await sleep(6_000);
      await redis.start();
      await sleep(3_000);
      // Then PostgreSQL goes away for the worker: its database refuses connections and its
      // sessions are ended, while scheduler ticks keep asking it what is due.
      await admin(async (c) => {
        await c.query(`alter database ${database.name} allow_connections false`);
        await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
          database.name,
        ]);
      });
      await sleep(6_000);
      await admin((c) => c.query(`alter database ${database.name} allow_connections true`));
      await sleep(3_000);
    } finally {
      worker.child.kill('SIGTERM');
      const result = await worker.finished;
      output = result.stdout + result.stderr;
    }
  }, 90_000);

  afterAll(async () => {
    await redis?.stop();
    await database?.drop();
  });

  it('says that Redis is unreachable, as structured entries', () => {
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg?: string });
    expect(entries.some((e) => e.level >= 40 && /Redis/.test(e.msg ?? ''))).toBe(true);
  });

  it('prints nothing but structured entries and its two plain lines', () => {
    const unstructured = output
      .split('\n')
      .filter((line) => line !== '')
      .filter((line) => !PLAIN.some((p) => p.test(line)))
      .filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
    expect(unstructured.slice(0, 20)).toEqual([]);
  });
});
