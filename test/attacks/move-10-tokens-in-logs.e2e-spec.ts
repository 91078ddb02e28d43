import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobQueue } from '@trellis/jobs';
import type { PulseForm } from '@trellis/surveys';
import { createOrg, PASSWORD, type OrgFixture } from '../support/fixtures';
import { startMailbox, tokenOf } from '../support/mailbox';
import { freePort, launch } from '../support/processes';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';

/** Every secret Trellis hands out has one of these shapes (a prefix and 256 bits in base64url). */
const TOKEN_SHAPES = [/p_[A-Za-z0-9_-]{43}/, /trl_[a-z]_[A-Za-z0-9_-]{43}/];

/**
 * Red-team move 10: whoever reads the logs (an operator, a log shipper, a support ticket with a
 * pasted excerpt) must not find a survey link, a session, an API token, a password or what
 * someone answered. The built API and worker run as they do in production and in development,
 * at the most verbose level, and everything they print is searched.
 */
describe.each(['production', 'development'] as const)(
  'move 10 (%s mode): the API and worker logs hold no token and no answer',
  (mode) => {
    let mailbox: Awaited<ReturnType<typeof startMailbox>>;
    let t: TestApp;
    let org: OrgFixture;
    let roundId: string;
    let outbox: string;
    let apiOutput = '';
    let workerOutput = '';
    /** What must never appear, by what it is. */
    const secrets: Record<string, string> = {};
    /** Ids of the requests that reach the router (a body the parser refuses is answered before). */
    const requestIds: string[] = [];
    let sent = 0;
    let itemKeys: string[] = [];

    beforeAll(async () => {
      mailbox = await startMailbox();
      t = await createTestApp({ SMTP_URL: mailbox.url });
      org = await createOrg(t.app, `logs-${mode}`);
      ({ roundId } = await openRoundNow(t.app, org));
      // The processes below send invitations the development way, without a mail server.
      delete process.env.SMTP_URL;
      outbox = await mkdtemp(join(tmpdir(), 'trellis-outbox-'));
      const env = {
        DATABASE_URL: process.env.DATABASE_URL!,
        REDIS_PREFIX: t.prefix,
        NODE_ENV: mode,
        LOG_LEVEL: 'trace',
        OUTBOX_DIR: outbox,
        SCHEDULER_TICK_MS: '500',
        // Production refuses to start without the key that seals answers; the test's own one.
        ANSWER_KEY: randomBytes(32).toString('base64'),
      };
      const port = await freePort();
      const api = launch('api', { ...env, PORT: String(port), HOST: '127.0.0.1' });
      const worker = launch('worker', env);
      try {
        await Promise.all([api.waitFor(/listening on/), worker.waitFor(/processing jobs/)]);
        await exercise(`http://127.0.0.1:${port}`);
      } finally {
        api.child.kill('SIGTERM');
        worker.child.kill('SIGTERM');
        const [a, w] = await Promise.all([api.finished, worker.finished]);
        apiOutput = a.stdout + a.stderr;
        workerOutput = w.stdout + w.stderr;
      }
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await mailbox?.close();
      if (outbox) await rm(outbox, { recursive: true, force: true });
    });

    async function exercise(base: string): Promise<void> {
      const call = async (path: string, init: RequestInit = {}, routed = true) => {
        const id = `move10-${sent++}`;
        if (routed) requestIds.push(id);
        const headers = new Headers(init.headers);
        headers.set('x-request-id', id);
        return fetch(`${base}${path}`, { ...init, headers, redirect: 'manual' });
      };
      const json = (body: unknown) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

      // Everyone's links, and what each asks.
      const links = mailbox.mails.map((m) => tokenOf(m.link!));
      expect(links.length).toBeGreaterThanOrEqual(5);
      links.forEach((token, i) => (secrets[`link ${i}`] = token));
      const forms = new Map<string, PulseForm>();
      for (const token of links) {
        const res = await call(`/pulse/${token}`);
        expect(res.status).toBe(200);
        forms.set(token, (await res.json()) as PulseForm);
      }
      itemKeys = [...forms.values()][0].items.map((i) => i.key);
      const members = links.filter((l) => forms.get(l)!.allowsComment);
      const leaders = links.filter((l) => !forms.get(l)!.allowsComment);
      expect(members.length).toBeGreaterThanOrEqual(3);
      expect(leaders.length).toBeGreaterThanOrEqual(1);
      const answers = (token: string) => {
        const form = forms.get(token)!;
        return Object.fromEntries(form.items.map((i) => [i.key, form.scale.min + 1]));
      };
      const formBody = (token: string, comment?: string) =>
        new URLSearchParams([
          ...Object.entries(answers(token)).map(([k, v]) => [`answers[${k}]`, String(v)]),
          ...(comment ? [['comment', comment]] : []),
        ]);
      const comment = (label: string) => {
        secrets[`comment ${label}`] = `my manager ${label} ${randomBytes(6).toString('hex')}`;
        return secrets[`comment ${label}`];
      };

      // The answering page and the JSON API, with a token in the query for good measure.
      const [viaPage, viaApi, failing] = members;
      expect((await call(`/r/${viaPage}`)).status).toBe(200);
      expect((await call(`/r/${viaPage}?t=${viaPage}`)).status).toBe(200);
      const page = await call(`/r/${viaPage}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(viaPage, comment('page')),
      });
      expect(page.status).toBeLessThan(400);
      const api = await call(
        `/pulse/${viaApi}`,
        json({ answers: answers(viaApi), comment: comment('api') }),
      );
      expect(api.status).toBe(201);

      // Unknown, malformed and already used links; a body that is not JSON and echoes a token.
      const unknown = `p_${randomBytes(32).toString('base64url')}`;
      secrets['unknown link'] = unknown;
      expect((await call(`/r/${unknown}`)).status).toBe(404);
      expect((await call(`/pulse/${unknown}`)).status).toBe(404);
      expect((await call(`/pulse/${unknown.slice(0, 20)}`)).status).toBe(404);
      expect((await call(`/r/${viaPage}`)).status).toBe(409);
      const broken = await call(
        `/pulse/${failing}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"token":"${failing}","comment":"${comment('broken')}"`,
        },
        false,
      );
      expect(broken.status).toBe(400);

      // A token where no serializer looks for one: as the request id, which the log repeats.
      const asId = `p_${randomBytes(32).toString('base64url')}`;
      secrets['link as request id'] = asId;
      const byId = await fetch(`${base}/organisations/${org.orgId}`, {
        headers: { 'x-request-id': asId },
      });
      expect(byId.headers.get('x-request-id')).toBe(asId);

      // Signing in, a session as bearer and as cookie, an API token, a wrong password.
      secrets.password = PASSWORD;
      const signIn = await call('/auth/sign-in', json({ email: org.hr.email, password: PASSWORD }));
      expect(signIn.status).toBe(200);
      const session = ((await signIn.json()) as { token: string }).token;
      secrets.session = session;
      const wrong = `wrong-${randomBytes(6).toString('hex')}`;
      secrets['wrong password'] = wrong;
      expect(
        (await call('/auth/sign-in', json({ email: org.hr.email, password: wrong }))).status,
      ).toBe(401);
      const bearer = { authorization: `Bearer ${session}` };
      expect((await call(`/organisations/${org.orgId}`, { headers: bearer })).status).toBe(200);
      expect(
        (
          await call(`/organisations/${org.orgId}`, {
            headers: { cookie: `trellis_session=${session}` },
          })
        ).status,
      ).toBe(200);
      const created = await call(`/organisations/${org.orgId}/api-tokens`, {
        ...json({ name: 'log check' }),
        headers: { ...bearer, 'content-type': 'application/json' },
      });
      expect(created.status).toBe(201);
      const apiToken = ((await created.json()) as { token: string }).token;
      secrets['api token'] = apiToken;
      expect(
        (
          await call(`/organisations/${org.orgId}/api-tokens`, {
            headers: { authorization: `Bearer ${apiToken}` },
          })
        ).status,
      ).toBe(200);

      // The development sender: the worker sends everyone a fresh link without a mail server.
      await t.db.query('update invitation set sent_at = null where round_id = $1', [roundId]);
      await t.app.get(JobQueue).add('round.invite', { roundId });
      await until('the worker sent every invitation again', async () => {
        const { rows } = await t.db.query<{ n: number }>(
          'select count(*)::int as n from invitation where round_id = $1 and sent_at is null',
          [roundId],
        );
        return rows[0].n === 0;
      });

      // Requests that fail inside the database, whose error message echoes the row it refused.
      await t.db.query(`create function refuse_write() returns trigger language plpgsql as $$
        begin raise exception 'refused: %', row_to_json(new)::text; end $$`);
      await t.db.query(`do $$ declare t text; begin
        for t in select tablename from pg_tables where schemaname = 'public' loop
          execute format('create trigger refuse_write before insert on %I for each row execute function refuse_write()', t);
        end loop; end $$`);
      const failed = await call(
        `/pulse/${failing}`,
        json({ answers: answers(failing), comment: comment('failed') }),
      );
      expect(failed.status).toBe(500);
      const failedPage = await call(`/r/${leaders[0]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(leaders[0]),
      });
      expect(failedPage.status).toBe(500);
    }

    it('logged the requests, with their request ids, and the failures', () => {
      for (const id of requestIds) expect(apiOutput).toContain(id);
      expect(apiOutput).toMatch(/request failed/);
      expect(apiOutput).toMatch(/answering page failed/);
    });

    it('logs a request behind a personal link without the address or browser it came from', () => {
      const lines = apiOutput.split('\n').filter((line) => /"url":"\/(r|pulse)\//.test(line));
      expect(lines.length).toBeGreaterThanOrEqual(10);
      for (const line of lines) expect(line).not.toMatch(/remoteAddress|user-agent/);
    });

    it('no token, password or comment appears in the API log', () => {
      for (const shape of TOKEN_SHAPES) expect(apiOutput).not.toMatch(shape);
      for (const [what, secret] of Object.entries(secrets)) {
        expect(`${what}: ${apiOutput.includes(secret)}`).toBe(`${what}: false`);
      }
    });

    it('no answer appears in the API log', () => {
      for (const key of itemKeys) {
        expect(apiOutput).not.toMatch(new RegExp(`"${key}\\\\?"\\s*:\\s*\\d`));
        expect(apiOutput).not.toMatch(new RegExp(`answers\\[${key}\\]`));
      }
    });

    it('no token appears in the worker log, and the development sender still delivers the links', async () => {
      for (const shape of TOKEN_SHAPES) expect(workerOutput).not.toMatch(shape);
      for (const [what, secret] of Object.entries(secrets)) {
        expect(`${what}: ${workerOutput.includes(secret)}`).toBe(`${what}: false`);
      }
      const files = await readdir(outbox);
      const texts = await Promise.all(files.map((f) => readFile(join(outbox, f), 'utf8')));
      const sent = texts.flatMap((text) => text.match(/\/r\/p_[A-Za-z0-9_-]{43}/g) ?? []);
      expect(sent).toHaveLength(mailbox.mails.length);
      expect(workerOutput).toMatch(/invitations sent/);
    });
  },
);
