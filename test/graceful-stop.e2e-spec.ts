import { request as httpRequest } from 'node:http';
import { PeopleService } from '@trellis/organisation';
import { createOrg, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { freePort, launch } from './support/processes';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

interface Outcome {
  status?: number;
  error?: string;
}

/**
 * SIGTERM reaches a built API while answers are on their way in (their bodies half sent). It must
 * stop accepting connections, let every request in flight finish — each answered, each 201
 * stored — and then exit; nobody gets a reset connection.
 */
describe('SIGTERM under load', () => {
  let t: TestApp;
  let org: OrgFixture;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const emails = Array.from({ length: 12 }, (_, i) => `m${i}@graceful.test`);

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url });
    org = await createOrg(t.app, 'graceful');
    const people = t.app.get(PeopleService);
    for (const email of emails) {
      const p = await people.create(org.orgId, { email, name: email });
      await people.addMembership(org.teamId, p.id, 'member');
    }
    await openRoundNow(t.app, org);
  });

  afterAll(async () => {
    await t.close();
    await mailbox.close();
  });

  it('finishes every request in flight, stores every 201, and exits', async () => {
    const tokens = emails.map((email) => tokenOf(mailbox.linksFor(email)[0]));
    const form = await t.http.get(`/pulse/${tokens[0]}`);
    const answers = Object.fromEntries(form.body.items.map((i: { key: string }) => [i.key, 3]));
    const body = Buffer.from(JSON.stringify({ answers }));

    const port = await freePort();
    const api = launch('api', {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_PREFIX: t.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    await api.waitFor(/listening on/);

    // Every request sends its headers and half its body, then waits.
    const rest: (() => void)[] = [];
    const outcomes = tokens.map(
      (token) =>
        new Promise<Outcome>((resolve) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: `/pulse/${token}`,
              headers: { 'content-type': 'application/json', 'content-length': body.length },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode }));
              res.on('error', (error) => resolve({ error: error.message }));
            },
          );
          req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
          const half = Math.floor(body.length / 2);
          req.write(body.subarray(0, half));
          rest.push(() => req.end(body.subarray(half)));
        }),
    );
    // The API has them all open before the signal.
    await until('the requests to reach the API', async () => {
      const answered = await fetch(`http://127.0.0.1:${port}/health/live`);
      return answered.ok && rest.length === tokens.length;
    });
    api.child.kill('SIGTERM');
    await api.waitFor(/trellis api: stop/);
    // It accepts nothing new…
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    // …and the requests in flight are still heard out.
    for (const finish of rest) finish();
    const results = await Promise.all(outcomes);
    expect(results).toEqual(tokens.map(() => ({ status: 201 })));
    const stored = await t.db.query<{ n: number }>(
      // Answered is known only by keyed marks: count the round's marks (nobody else answers it).
      `select count(*)::int as n from participation pa where pa.kind = 'member' and pa.round_id in (
         select i.round_id from invitation i join person p on p.id = i.person_id where p.email = any($1))`,
      [emails],
    );
    expect(stored.rows[0].n).toBe(tokens.length);
    const finished = await api.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/trellis api: stopped/);
  });
});
