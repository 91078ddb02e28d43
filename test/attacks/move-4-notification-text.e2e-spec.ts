import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { startMailbox } from '../support/mailbox';
import { createTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { startWorker } from '../support/worker';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Note {
  flagCode: string;
  channel: string;
  status: string;
}

/**
 * Red-team move 4: the text of move 3 ("fell from 4.3 of 5 …", from a round hidden for the team)
 * left the server in the new-flag email and in the webhook post to a chat channel.
 */
describe('attack, move 4: notification emails and webhook posts say nothing of a hidden round', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    receiver = await startWebhookReceiver(() => 200);
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      SMTP_URL: mailbox.url,
      NOTIFY_RETRY_BASE_MS: '100',
      PUBLIC_URL: 'https://trellis.example.test',
      // The stand-in for Slack listens on loopback, which webhooks may not reach by default.
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    worker = await startWorker();
    org = await createOrg(t.app, 'move4');
    const admin = await signIn(t.http, org.admin.email);
    hr = await signIn(t.http, org.hr.email);
    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ notifications: { notifyHr: true, webhookUrl: receiver.url('/hook') } });
    expect(saved.status).toBe(200);
    // Sales: 3 respondents (hidden at k = 5), then 7 who describe a micromanaged team.
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(-60), periodEnd: day(-47) },
      historyCsv([...historyRows('sales', 3, 'healthy'), ...historyRows('platform', 6, 'healthy')]),
    );
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(-20), periodEnd: day(-14) },
      historyCsv([
        ...historyRows('sales', 7, 'micromanaged'),
        ...historyRows('platform', 6, 'healthy'),
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
    await mailbox.close();
    await receiver.close();
  });

  it('the micromanagement news arrives; nothing quotes the hidden round', async () => {
    const sent = await until('deliveries', async () => {
      const res = await t.http
        .get(`/organisations/${org.orgId}/notifications`)
        .set('authorization', `Bearer ${hr}`);
      const list = res.body as Note[];
      return list.length >= 3 && list.every((n) => n.status === 'sent') ? list : null;
    });
    // The leader, HR and the webhook hear about micromanagement, and about nothing else.
    expect(sent.map((n) => `${n.flagCode} ${n.channel}`).sort()).toEqual(
      ['micromanagement email', 'micromanagement email', 'micromanagement webhook'].sort(),
    );
    const mails = mailbox.mails.filter((m) => m.subject.startsWith('Trellis, Sales'));
    expect(mails.map((m) => m.to).sort()).toEqual([org.hr.email, org.otherLeader.email].sort());
    const posts = receiver.received.filter((r) => r.path === '/hook');
    expect(posts).toHaveLength(1);
    const texts = [...mails.map((m) => `${m.subject}\n${m.text}`), JSON.stringify(posts[0].body)];
    for (const text of texts) {
      expect(text).toContain('Micromanagement risk');
      expect(text).not.toMatch(/since the last round|4\.33? of 5|getting worse/);
    }
  });
});
