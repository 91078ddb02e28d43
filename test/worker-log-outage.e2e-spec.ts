import { startPrivateRedis } from './support/private-redis';
import { launch } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * While Redis is away, a worker's log stays a log: one JSON object a line that an alerting system
 * can parse and match, never bare multi-line stack traces.
 */
describe('the worker’s log during a Redis outage', () => {
  let t: TestApp;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await createTestApp({ REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await t.close();
    await redis.stop();
  });

  it('is structured, one line each, and says Redis is unreachable', async () => {
    const worker = launch('worker', {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: redis.url,
      REDIS_PREFIX: t.prefix,
      SCHEDULER_TICK_MS: '250',
    });
    let output = '';
    try {
      await worker.waitFor(/processing jobs/);
      await redis.stop();
      // The worker notices (it says so one way or another) and keeps running.
      await worker.waitFor(/ECONNREFUSED|cannot reach Redis/);
    } finally {
      await redis.start();
      worker.child.kill('SIGTERM');
      const finished = await worker.finished;
      output = `${finished.stdout}\n${finished.stderr}`;
    }
    const lines = output.split('\n').filter((line) => line.trim());
    const unstructured = lines.filter(
      (line) => !line.startsWith('{') && !/^trellis worker:/.test(line),
    );
    expect({ unstructured, output: unstructured.length ? output : '' }).toEqual({
      unstructured: [],
      output: '',
    });
    const warnings = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings.some((w) => /cannot reach Redis/.test(w.msg))).toBe(true);
  }, 90_000);
});
