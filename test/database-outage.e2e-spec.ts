import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { admin } from './support/databases';
import { createOrg, PASSWORD, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { freePort, launch } from './support/processes';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const UNAVAILABLE = 'a backing service is unavailable; try again shortly';

/**
 * A built API process loses PostgreSQL: its connections are terminated, and for a while the
 * database refuses new ones. It must say so (503 from /health/ready and from every request that
 * needs the database, never 500), keep running, and serve again once PostgreSQL is back, without
 * a restart. The in-process app only prepares the data.
 */
describe('PostgreSQL connections dropped under a running API', () => {
  let t: TestApp;
  let org: OrgFixture;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let api: ReturnType<typeof launch>;
  let base: string;
  let database: string;
  let hr: string;

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** Ends every session of the test database except the test's own `t.db`. */
  const terminateOthers = () =>
    t.db.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
  const allowConnections = (allow: boolean) =>
    admin((c) => c.query(`alter database ${database} with allow_connections ${allow}`));
  /** A well-formed link nobody was given: the API must look it up in the database to say 404. */
  const unknownLink = () => `p_${randomBytes(32).toString('base64url')}`;

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url });
    database = (await t.db.query<{ name: string }>('select current_database() as name')).rows[0]
      .name;
    org = await createOrg(t.app, 'dbdown');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = launch('api', {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_PREFIX: t.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_POOL_SIZE: '4',
      SIGN_IN_LIMIT: '10000',
      SIGN_IN_ADDRESS_LIMIT: '10000',
    });
    await api.waitFor(/listening on/);
    const signIn = await post('/auth/sign-in', { email: org.hr.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    hr = ((await signIn.json()) as { token: string }).token;
  });

  afterAll(async () => {
    await allowConnections(true).catch(() => undefined);
    if (api.child.exitCode === null) {
      api.child.kill('SIGTERM');
      await api.finished;
    }
    await t.close();
    await mailbox.close();
  });

  it('serves normally before anything happens', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get(`/organisations/${org.orgId}/people`, hr)).status).toBe(200);
    expect((await get(`/pulse/${unknownLink()}`)).status).toBe(404);
  });

  it('while PostgreSQL refuses connections: 503 everywhere the database is needed, never 500', async () => {
    await allowConnections(false);
    await terminateOthers();
    try {
      const ready = await until('/health/ready to go red', async () => {
        const res = await get('/health/ready');
        return res.status === 503 ? res : null;
      });
      const body = (await ready.json()) as {
        error?: Record<string, { status: string }>;
        info?: Record<string, { status: string }>;
      };
      expect(body.error?.database?.status).toBe('down');
      expect(body.info?.redis?.status).toBe('up');
      // Liveness says nothing about dependencies: no orchestrator restarts the API for this.
      expect((await get('/health/live')).status).toBe(200);

      // The outage lasts: every request that needs the database, asked again and again, gets 503.
      const seen = new Map<string, number[]>();
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        for (const [name, request] of [
          ['people', () => get(`/organisations/${org.orgId}/people`, hr)],
          ['pulse', () => get(`/pulse/${unknownLink()}`)],
          ['sign-in', () => post('/auth/sign-in', { email: org.hr.email, password: PASSWORD })],
          ['ready', () => get('/health/ready')],
        ] as const) {
          const res = await request();
          seen.set(name, [...(seen.get(name) ?? []), res.status]);
          if (name !== 'ready' && res.status === 503) {
            expect(await res.json()).toEqual({ statusCode: 503, message: UNAVAILABLE });
          }
        }
      }
      for (const [name, statuses] of seen) {
        expect([name, [...new Set(statuses)]]).toEqual([name, [503]]);
      }
      expect(api.child.exitCode).toBeNull();
    } finally {
      await allowConnections(true);
    }
  }, 60_000);

  it('recovers without a restart once PostgreSQL accepts connections again', async () => {
    const pid = api.child.pid;
    await until(
      '/health/ready to go green',
      async () => (await get('/health/ready')).status === 200,
    );
    expect((await get(`/organisations/${org.orgId}/people`, hr)).status).toBe(200);
    expect((await get(`/pulse/${unknownLink()}`)).status).toBe(404);
    expect((await post('/auth/sign-in', { email: org.hr.email, password: PASSWORD })).status).toBe(
      200,
    );
    expect(api.child.pid).toBe(pid);
    expect(api.child.exitCode).toBeNull();
  }, 60_000);

  it('a connection terminated mid-request: 503, nothing stored, and the same answer goes through on retry', async () => {
    const { roundId } = await openRoundNow(t.app, org);
    const mail = mailbox.mails.find(
      (m) => m.to === org.member.email && /^Two minutes for/.test(m.subject),
    );
    const token = tokenOf(mail!.link!);
    const form = (await (await get(`/pulse/${token}`)).json()) as { items: { key: string }[] };
    const answers = Object.fromEntries(form.items.map((i) => [i.key, 4]));

    // Hold the participation table, so the submission waits inside its transaction.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table participation in share mode');
      const submitted = post(`/pulse/${token}`, { answers });
      const waiting = await until('the submission to wait on the invitations', async () => {
        const rows = await t.db.query<{ pid: number }>(
          `select pid from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%insert into participation%'`,
        );
        return rows.rows[0]?.pid;
      });
      await t.db.query('select pg_terminate_backend($1)', [waiting]);
      const res = await submitted;
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ statusCode: 503, message: UNAVAILABLE });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    // The killed transaction left nothing: the link is still unused.
    expect(
      (
        await t.db.query(`select count(*)::int as n from participation where round_id = $1`, [
          roundId,
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (
        await t.db.query('select count(*)::int as n from response_pool where round_id = $1', [
          roundId,
        ])
      ).rows[0].n,
    ).toBe(0);

    // The pool dropped the dead connection: the retry and everything after it succeed.
    expect((await post(`/pulse/${token}`, { answers })).status).toBe(201);
    for (let i = 0; i < 8; i++)
      expect((await get(`/organisations/${org.orgId}/people`, hr)).status).toBe(200);
    expect(api.child.exitCode).toBeNull();
  }, 60_000);

  it('every connection terminated while idle: never a 500, and the pool replaces them by itself', async () => {
    // Fill the API's pool with idle connections, then end every session under it.
    await Promise.all(
      Array.from({ length: 6 }, () => get(`/organisations/${org.orgId}/people`, hr)),
    );
    const ended = await terminateOthers();
    expect(ended.rowCount).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await get(`/organisations/${org.orgId}/people`, hr)).status);
    // At worst each dead connection fails one request with 503 before the pool drops it (pg's pool
    // usually drops them as soon as PostgreSQL says goodbye); after that every request is served.
    for (const status of statuses) expect([200, 503]).toContain(status);
    expect(statuses.slice(4)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await get('/health/ready')).status).toBe(200);
    expect(api.child.exitCode).toBeNull();
  }, 60_000);
});
