/// <reference lib="dom" />
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { NotificationsService } from '@trellis/notifications';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { startMailbox } from './support/mailbox';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWebhookReceiver } from './support/webhook-receiver';
import { startWorker } from './support/worker';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Note {
  id: string;
  unitId: string;
  flagCode: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe('notifications: new confirmed flags reach leaders, HR and a webhook', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const ATTEMPTS = 4;
  let browser: Browser | undefined;
  let base = '';

  beforeAll(async () => {
    mailbox = await startMailbox();
    // /flaky fails twice, then takes the message; /down never does.
    receiver = await startWebhookReceiver((path, call) =>
      path === '/down' ? 500 : path === '/flaky' && call <= 2 ? 503 : 200,
    );
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      SMTP_URL: mailbox.url,
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_ATTEMPTS: String(ATTEMPTS),
      PUBLIC_URL: 'https://trellis.example.test',
      // The stand-in for Slack listens on loopback, which webhooks may not reach by default.
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    worker = await startWorker();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker.close();
    await t.close();
    await mailbox.close();
    await receiver.close();
  });

  async function setUp(slug: string, webhookPath: string) {
    const org = await createOrg(t.app, slug);
    const admin = await signIn(t.http, org.admin.email);
    const hr = await signIn(t.http, org.hr.email);
    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ notifications: { notifyHr: true, webhookUrl: receiver.url(webhookPath) } });
    expect(saved.status).toBe(200);
    expect(saved.body.notifications).toEqual({
      notifyHr: true,
      webhookUrl: receiver.url(webhookPath),
    });
    return { org, hr };
  }

  /**
   * A page in Chromium, signed in with `token` as the session cookie: checked with axe at phone
   * and desktop width, screenshot at both, and no console errors (a CSP violation is one).
   */
  async function inChromium(
    path: string,
    token: string,
    check: (page: Page) => Promise<void>,
    shot: string,
  ): Promise<void> {
    if (!base) {
      await t.app.listen(0, '127.0.0.1');
      base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    }
    browser ??= await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    try {
      await context.addCookies([{ name: 'trellis_session', value: token, url: base }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(200);
      await check(page);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `${shot}-1280.png`), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }

  const notes = async (org: OrgFixture, hr: string): Promise<Note[]> => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/notifications`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    return res.body as Note[];
  };

  /** Sales (7 people) micromanaged in a recent round: a confirmed micromanagement flag. */
  const micromanagedSales = (org: OrgFixture, hr: string, from: number, to: number) =>
    importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(from), periodEnd: day(to) },
      historyCsv(historyRows('sales', 7, 'micromanaged')),
    );

  it('emails the leader and HR and posts to the webhook, retrying with backoff until it answers', async () => {
    const { org, hr } = await setUp('notify', '/flaky');
    await micromanagedSales(org, hr, -20, -14);
    const delivered = await until('deliveries', async () => {
      const list = await notes(org, hr);
      return list.length === 3 && list.every((n) => n.status === 'sent') ? list : null;
    });
    const micromanagement = delivered.filter((n) => n.flagCode === 'micromanagement');
    expect(micromanagement.map((n) => `${n.channel} ${n.recipient}`).sort()).toEqual(
      [
        `email ${org.hr.email}`,
        `email ${org.otherLeader.email}`,
        `webhook ${receiver.url('')}`,
      ].sort(),
    );
    expect(micromanagement.every((n) => n.unitId === org.otherTeamId)).toBe(true);
    const hook = delivered.find((n) => n.channel === 'webhook')!;
    expect(hook).toMatchObject({ attempts: 3, lastError: null });

    const calls = receiver.received.filter((r) => r.path === '/flaky');
    expect(calls.map((c) => c.answered)).toEqual([503, 503, 200]);
    // Every attempt carries the same delivery id, so a receiver can drop repeats.
    expect(new Set(calls.map((c) => c.headers['x-trellis-delivery'])).size).toBe(1);
    const payload = calls[2].body as { text: string; blocks: { type: string }[] };
    expect(payload.text).toContain('Sales: Micromanagement risk');
    expect(payload.text).toContain(
      `https://trellis.example.test/app/units/${org.otherTeamId}/report`,
    );
    expect(payload.blocks.map((b) => b.type)).toEqual(['section', 'context']);

    const mails = mailbox.mails.filter((m) => m.subject.startsWith('Trellis, Sales'));
    expect(mails.map((m) => m.to).sort()).toEqual([org.hr.email, org.otherLeader.email].sort());
    expect(mails[0].text).toContain(`/app/units/${org.otherTeamId}/report`);

    // The next round confirms the same flag: not news, nobody is told again.
    await micromanagedSales(org, hr, -13, -1);
    expect(
      await t.app
        .get(NotificationsService)
        .recordNewFlags(
          (
            await t.db.query(
              `select id from round where organisation_id = $1 order by period_start desc limit 1`,
              [org.orgId],
            )
          ).rows[0].id,
        ),
    ).toBe(0);
    expect(await notes(org, hr)).toHaveLength(3);
  });

  it('a receiver that keeps failing is marked failed with its error, and aggregation is not held up', async () => {
    const { org, hr } = await setUp('notify-down', '/down');
    const roundId = await micromanagedSales(org, hr, -10, -3);
    const failed = await until('the webhook gives up', async () => {
      const list = await notes(org, hr);
      const hook = list.find((n) => n.channel === 'webhook');
      return hook?.status === 'failed' ? hook : null;
    });
    expect(failed).toMatchObject({
      attempts: ATTEMPTS,
      lastError: 'could not deliver to the webhook',
    });
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(ATTEMPTS);
    const onlyFailed = await t.http
      .get(`/organisations/${org.orgId}/notifications`)
      .query({ status: 'failed' })
      .set('authorization', `Bearer ${hr}`);
    expect(onlyFailed.body.map((n: Note) => n.channel)).toEqual(['webhook']);
    // HR sees it on the overview too, with its error, not just through the API.
    const overview = await t.http
      .get(`/app/organisations/${org.orgId}`)
      .set('authorization', `Bearer ${hr}`);
    expect(overview.status).toBe(200);
    const row = new RegExp(
      `<tr data-notification="${failed.id}" class="failed">[\\s\\S]*?</tr>`,
    ).exec(overview.text)?.[0];
    expect(row).toMatch(/webhook at http:\/\/127\.0\.0\.1:\d+/);
    expect(row).toMatch(/failed after \d+ attempts[\s\S]*could not deliver to the webhook/);
    expect(overview.text).toMatch(/1 of the latest \d+ deliveries failed/);
    await inChromium(
      `/app/organisations/${org.orgId}`,
      hr,
      async (page) => {
        const failedRow = page.locator(`tr[data-notification="${failed.id}"]`);
        expect(await failedRow.locator('td').last().innerText()).toMatch(
          /^failed after \d+ attempts\s+could not deliver to the webhook$/,
        );
        expect(
          await page.getByRole('region', { name: 'Flag notifications', exact: true }).count(),
        ).toBe(1);
      },
      'overview-notifications',
    );
    // The emails went out regardless, and the round's results were there all along.
    await until('emails sent', async () =>
      (await notes(org, hr)).filter((n) => n.channel === 'email').every((n) => n.status === 'sent'),
    );
    const round = await t.db.query(`select aggregated_at from round where id = $1`, [roundId]);
    expect(round.rows[0].aggregated_at).not.toBeNull();
    // Aggregating again records nothing twice.
    expect(await t.app.get(NotificationsService).recordNewFlags(roundId)).toBe(0);
  });

  it('refuses notification settings that do not read, naming the field', async () => {
    const org = await createOrg(t.app, 'notify-bad');
    const admin = await signIn(t.http, org.admin.email);
    for (const [notifications, field] of [
      [{ webhookUrl: 'ftp://example.test/hook' }, 'notifications.webhookUrl'],
      [{ webhookUrl: 'not a url' }, 'notifications.webhookUrl'],
      [{ notifyHr: 'yes' }, 'notifications.notifyHr'],
      [{ channel: '#general' }, 'notifications.channel'],
    ] as const) {
      const res = await t.http
        .put(`/organisations/${org.orgId}/settings`)
        .set('authorization', `Bearer ${admin}`)
        .send({ notifications });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const kept = await t.http
      .get(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`);
    expect(kept.body.notifications).toEqual({ notifyHr: false, webhookUrl: null });
  });
});
