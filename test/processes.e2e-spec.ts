import { createTestDatabase } from './support/databases';
import { freePort, launch } from './support/processes';

describe('processes: start-up checks and graceful shutdown', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it.each(['api', 'worker'] as const)(
    '%s: unreachable PostgreSQL is one clear line and a non-zero exit',
    async (app) => {
      const port = await freePort();
      const { finished } = launch(app, {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/trellis`,
      });
      const result = await finished;
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(database "trellis"\\).*ECONNREFUSED.*DATABASE_URL`,
        ),
      );
    },
  );

  it('api: unreachable Redis is one clear line and a non-zero exit', async () => {
    const port = await freePort();
    const result = await launch('api', {
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
    }).finished;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port}.*REDIS_URL`)),
    ]);
  });

  it('api: a missing database says how to create it', async () => {
    const result = await launch('api', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/trellis_does_not_exist',
    }).finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/database does not exist.*npm run db:create/);
  });

  it('api: an invalid setting names the variable', async () => {
    const result = await launch('api', { PORT: 'eighty' }).finished;
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^trellis api: invalid configuration: PORT .*"eighty"/);
  });

  it('api: serves /health/ready and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const api = launch('api', {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_PREFIX: 'trellis-test-proc',
    });
    await api.waitFor(/listening on/);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-request-id')).toMatch(/.+/);
    api.child.kill('SIGTERM');
    const result = await api.finished;
    // Nest re-raises the signal once its shutdown hooks ran; the log line proves they did.
    expect(result.stdout).toMatch(/trellis api: stopped/);
    expect(result.stderr).not.toMatch(/Error/);
  });

  it('worker: starts, then stops cleanly on SIGTERM', async () => {
    const worker = launch('worker', {
      DATABASE_URL: database.url,
      REDIS_PREFIX: 'trellis-test-proc',
    });
    await worker.waitFor(/processing jobs/);
    worker.child.kill('SIGTERM');
    const result = await worker.finished;
    expect(result.stdout).toMatch(/trellis worker: stopped/);
    expect(result.stderr).not.toMatch(/Error/);
  });

  it('cli: generates and loads a synthetic organisation through the real imports and aggregation', async () => {
    const result = await launch(
      'cli',
      { DATABASE_URL: database.url, REDIS_PREFIX: 'trellis-test-proc' },
      ['synthetic', '--slug', 'synth-cli', '--teams', '6', '--rounds', '2', '--seed', '7'],
    ).finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      teams: number;
      rounds: number;
      respondents: number;
    };
    expect(summary).toMatchObject({ teams: 6, rounds: 2 });
    expect(summary.respondents).toBeGreaterThan(0);
  });

  it('cli: migrate is idempotent on an up-to-date database', async () => {
    const result = await launch('cli', { DATABASE_URL: database.url }, ['migrate']).finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/database is up to date/);
  });
});
