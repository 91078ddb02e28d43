import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { freePort } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWebhookReceiver } from './support/webhook-receiver';
import { startWorker } from './support/worker';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const COULD_NOT_DELIVER = 'could not deliver to the webhook';

/**
 * The organisation's webhook is an address an admin types and the worker posts to: without a
 * guard it reaches whatever the worker can (the database, a cloud metadata service, an admin
 * port), and its recorded error told open ports from closed ones. Private, loopback, link-local,
 * unique-local and unspecified addresses are refused when saved and again when delivering,
 * unless WEBHOOK_ALLOW_PRIVATE is set for the whole installation (it is not here).
 */
describe('webhook SSRF', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => 200);
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_ATTEMPTS: '2',
      WEBHOOK_ALLOW_PRIVATE: 'false',
    });
    worker = await startWorker();
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await receiver?.close();
  });

  it('refuses a webhook address that is literally private when it is saved, naming the field', async () => {
    const org = await createOrg(t.app, 'ssrf-save');
    const admin = await signIn(t.http, org.admin.email);
    const refused = [
      receiver.url('/hook'),
      'http://127.0.0.1:9/hook',
      'http://127.1/hook',
      'http://2130706433/hook',
      'http://0177.0.0.1/hook',
      'http://0x7f000001/hook',
      'http://0.0.0.0/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://[::1]/hook',
      'http://[::]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://localhost:8080/hook',
      'http://db.localhost/hook',
    ];
    for (const webhookUrl of refused) {
      const res = await t.http
        .put(`/organisations/${org.orgId}/settings`)
        .set('authorization', `Bearer ${admin}`)
        .send({ notifications: { webhookUrl } });
      expect({ webhookUrl, status: res.status }).toEqual({ webhookUrl, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'notifications.webhookUrl',
      ]);
    }
    const publicHook = 'https://hooks.slack.com/services/T000/B000/XXXX';
    const ok = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ notifications: { webhookUrl: publicHook } });
    expect(ok.status).toBe(200);
    expect(ok.body.notifications.webhookUrl).toBe(publicHook);
  });

  it('refuses at delivery a name that resolves to loopback, and says the same for open and closed ports', async () => {
    const closed = await freePort();
    const outcomes: { lastError: string | null; status: string }[] = [];
    for (const [slug, url] of [
      // A name that resolves to 127.0.0.1, as a DNS name might after it was saved (rebinding).
      ['ssrf-open', `http://localhost:${new URL(receiver.url('/')).port}/open`],
      ['ssrf-closed', `http://localhost:${closed}/closed`],
    ] as const) {
      const org = await createOrg(t.app, slug);
      const hr = await signIn(t.http, org.hr.email);
      // Written directly: the API refuses to save it, which is the point of the first test.
      await t.db.query(
        `update organisation set settings = jsonb_set(settings, '{notifications}', $2::jsonb) where id = $1`,
        [org.orgId, JSON.stringify({ notifyHr: false, webhookUrl: url })],
      );
      await importRound(
        t,
        org.orgId,
        hr,
        { periodStart: day(-20), periodEnd: day(-14) },
        historyCsv(historyRows('sales', 7, 'micromanaged')),
      );
      const hook = await until(`${slug}: the webhook gives up`, async () => {
        const rows = (
          await t.db.query<{ status: string; lastError: string | null }>(
            `select status, last_error as "lastError" from notification
              where organisation_id = $1 and channel = 'webhook'`,
            [org.orgId],
          )
        ).rows;
        return rows[0]?.status === 'failed' ? rows[0] : null;
      });
      outcomes.push(hook);
    }
    expect(outcomes).toEqual([
      { status: 'failed', lastError: COULD_NOT_DELIVER },
      { status: 'failed', lastError: COULD_NOT_DELIVER },
    ]);
    expect(receiver.received).toEqual([]);
  }, 120_000);
});
