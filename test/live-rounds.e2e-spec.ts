/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { JobQueue, QUEUES, jobId } from '@trellis/jobs';
import { RoundsService } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { addMembers, answersFor, setMinGroupSize } from './support/links';
import { openRoundNow } from './support/surveys';
import { startMailbox, tokenOf } from './support/mailbox';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

jest.setTimeout(180_000);

const WIDTHS = [375, 1280] as const;
const ZONE = 'Europe/Berlin';
const K = 5;

/** "m h" of a moment in a time zone, for a daily cron that fired at that moment there. */
function cronAt(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return `${part('minute')} ${part('hour')} * * *`;
}

/**
 * A live round end to end, with a real worker, a real SMTP mailbox and Chromium: HR starts a
 * campaign on the campaign page whose round the worker opens a minute later; answers given through the
 * emailed links move the counts on the home page and the round page only in steps of k; a
 * reminder asked for twice reaches exactly the people who have not answered, once; "close now"
 * (confirmed) closes the round through the scheduled close's path, the round is aggregated and the
 * team report shows it. A leader sees only their teams' rounds; another organisation gets 404s.
 */
describe('live rounds', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let org: OrgFixture;
  let other: OrgFixture;
  let browser: Browser;
  let base: string;
  let hrToken: string;
  let campaignId: string;
  let salesCampaignId: string;
  let roundId: string;
  let importedRoundId: string;
  /** Platform's members' emails, in the order they answer (the first K answer, the rest do not). */
  let platformEmails: string[];

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url, SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'live-rounds');
    other = await createOrg(t.app, 'live-rounds-other');
    await setMinGroupSize(t.db, org.orgId, K);
    // Platform: 8 more members beside `member` and `otherLeader` (a member there): 10 invited.
    await addMembers(t.app, org.orgId, org.teamId, 8, 'plat');
    hrToken = await signIn(t.http, org.hr.email);
    importedRoundId = await importRound(
      t,
      org.orgId,
      hrToken,
      { periodStart: '2026-01-05', periodEnd: '2026-01-18' },
      historyCsv([...historyRows('platform', 6, 'healthy'), ...historyRows('sales', 7, 'healthy')]),
    );
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  async function open(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    return context.newPage();
  }

  async function signInAs(page: Page, email: string): Promise<void> {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
  }

  /** No serious axe violation, nothing wider than the screen, and a screenshot to look at. */
  async function check(page: Page, name: string, width: number): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll).toBeLessThanOrEqual(width);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }

  /** The "Open now" panel's line for the live campaign, as text. */
  async function panelLine(page: Page, name = 'Live pulse'): Promise<string> {
    await page.goto(`${base}/app`);
    const panel = page.getByRole('region', { name: 'Open now' });
    const item = panel.locator('li', { hasText: name });
    expect(await item.count()).toBe(1);
    return (await item.innerText()).replace(/\s+/g, ' ');
  }

  /** Platform's row of the round page's participation table, as text. */
  async function platformRow(page: Page): Promise<string> {
    await page.goto(`${base}/app/rounds/${roundId}`);
    const row = page
      .getByRole('region', { name: 'Participation per team' })
      .locator('tr', { hasText: 'Platform' });
    return (await row.innerText()).replace(/\s+/g, ' ');
  }

  async function answer(email: string): Promise<void> {
    const [link] = mailbox.linksFor(email);
    expect(link).toBeDefined();
    const token = tokenOf(link);
    const form = await t.http.get(`/pulse/${token}`);
    expect(form.status).toBe(200);
    const res = await t.http
      .post(`/pulse/${token}`)
      .send({ answers: answersFor(form.body.items as { key: string }[]) });
    expect(res.status).toBe(201);
  }

  const participations = async () =>
    (
      await t.db.query<{ n: number }>(
        'select count(*)::int as n from participation where round_id = $1',
        [roundId],
      )
    ).rows[0].n;

  it('HR starts a campaign on the campaign page; the worker opens its round and invites Platform', async () => {
    const startsOn = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10);
    // Daily, at the Berlin minute that passed a minute ago: the round is due at once.
    const cron = cronAt(new Date(Date.now() - 60_000), ZONE);
    const page = await open(1280);
    await signInAs(page, org.hr.email);
    await page.goto(`${base}/app/organisations/${org.orgId}/campaigns/new`);
    await page.getByLabel('Name').fill('Live pulse');
    await page.locator(`#team-${org.teamId}`).check();
    await page.getByLabel('Cadence', { exact: true }).selectOption('cron');
    await page.getByLabel('Cron expression (custom cadence only)').fill(cron);
    await page.getByLabel('Time zone', { exact: true }).fill(ZONE);
    await page.getByLabel('First day').fill(startsOn);
    await page.getByLabel('Days open').fill('0.9');
    await page.getByLabel('Reminder days').fill('0.5');
    await page.getByLabel("Ask each team's leader for their own view too").uncheck();
    await page.getByRole('button', { name: 'Start the campaign' }).click();
    await page.waitForURL(/\/app\/campaigns\/[0-9a-f-]{36}/);
    expect(await page.getByRole('status').textContent()).toContain('The campaign is started');
    campaignId = /\/app\/campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.getByRole('link', { name: /^Rounds of this campaign/ }).click();
    await page.waitForURL(`${base}/app/campaigns/${campaignId}/rounds`);
    await page.context().close();

    const body = {
      form: 'short',
      cadence: 'cron',
      // Daily, at the Berlin minute that passed a minute ago: the round is due at once.
      cron: cronAt(new Date(Date.now() - 60_000), ZONE),
      timezone: ZONE,
      openDays: 0.9,
      reminderDays: [0.5],
      leaderSelfView: false,
      startsOn,
    };
    const created = await t.http.get(`/campaigns/${campaignId}`).set(as(hrToken));
    expect(created.body).toMatchObject({
      ...body,
      cron,
      name: 'Live pulse',
      teamIds: [org.teamId],
      active: true,
    });
    const sales = await t.http
      .post(`/organisations/${org.orgId}/campaigns`)
      .set(as(hrToken))
      .send({ ...body, name: 'Sales pulse', teamIds: [org.otherTeamId] });
    expect(sales.status).toBe(201);
    salesCampaignId = sales.body.id;

    const rounds = await until('the worker to open the round', async () => {
      const res = await t.http.get(`/campaigns/${campaignId}/rounds`).set(as(hrToken));
      return res.body.length === 1 ? (res.body as { id: string }[]) : null;
    });
    roundId = rounds[0].id;
    const invited = await t.db.query<{ email: string }>(
      `select p.email from invitation i join person p on p.id = i.person_id
        where i.round_id = $1 order by p.email`,
      [roundId],
    );
    platformEmails = invited.rows.map((r) => r.email);
    expect(platformEmails).toHaveLength(10);
    await until('every invitation email', async () =>
      platformEmails.every((email) => mailbox.linksFor(email).length === 1),
    );
    await until('the Sales round', async () => {
      const res = await t.http.get(`/campaigns/${salesCampaignId}/rounds`).set(as(hrToken));
      return res.body.length === 1;
    });
  });

  it('counts move only in whole steps of k on the home page and the round page', async () => {
    const page = await open(1280);
    await signInAs(page, org.hr.email);
    expect(await panelLine(page)).toMatch(/answered 0 of 10/);
    // HR sees every open round of the organisation, Sales' too.
    expect(await panelLine(page, 'Sales pulse')).toMatch(/answered 0 of/);

    await answer(platformEmails[0]);
    expect(await participations()).toBe(1);
    // One answer arrived, and nothing on either page says so.
    expect(await panelLine(page)).toMatch(/answered 0 of 10/);
    expect(await platformRow(page)).toBe(`Platform 10 fewer than ${K} 0 %`);
    const json = await t.http.get(`/rounds/${roundId}`).set(as(hrToken));
    expect(json.body).toMatchObject({
      state: 'open',
      answeredStep: K,
      teams: [{ name: 'Platform', invited: 10, answered: 0 }],
    });

    for (const email of platformEmails.slice(1, K - 1)) await answer(email);
    expect(await participations()).toBe(K - 1);
    expect(await panelLine(page)).toMatch(/answered 0 of 10/);

    await answer(platformEmails[K - 1]);
    expect(await participations()).toBe(K);
    expect(await panelLine(page)).toMatch(new RegExp(`answered ${K} of 10`));
    expect(await platformRow(page)).toBe(`Platform 10 ${K} 50 %`);
    // The page says when and in which zone, and never who answered.
    const text = await page.locator('main').innerText();
    expect(text).toContain(`Times in ${ZONE}`);
    for (const email of platformEmails) expect(text).not.toContain(email);
    await page.context().close();
  });

  it('shows the panel, the round, the campaign’s rounds and the confirm pages at phone and desktop width', async () => {
    for (const width of WIDTHS) {
      const page = await open(width);
      await signInAs(page, org.hr.email);
      await check(page, 'live-rounds-home', width);
      await page.getByRole('link', { name: 'Live pulse' }).click();
      await page.waitForURL(`${base}/app/rounds/${roundId}`);
      expect(await page.locator('h1').textContent()).toBe('Live pulse: round 1');
      await check(page, 'live-rounds-round', width);
      await page.getByRole('link', { name: 'All rounds of Live pulse' }).click();
      await page.waitForURL(`${base}/app/campaigns/${campaignId}/rounds`);
      expect(await page.locator('h1').textContent()).toBe('Rounds of Live pulse');
      await check(page, 'live-rounds-campaign', width);
      await page.goto(`${base}/app/rounds/${roundId}/remind`);
      await check(page, 'live-rounds-remind-confirm', width);
      await page.goto(`${base}/app/rounds/${roundId}/close`);
      await check(page, 'live-rounds-close-confirm', width);
      await page.goto(`${base}/app/rounds/${importedRoundId}`);
      expect(await page.locator('main').innerText()).toContain(
        'Imported: 13 respondents’ answers in 2 teams.',
      );
      await check(page, 'live-rounds-imported', width);
      await page.context().close();
    }
  });

  it('a reminder asked for twice reaches exactly those who have not answered, once', async () => {
    const page = await open(1280);
    await signInAs(page, org.hr.email);
    const before = mailbox.mails.length;
    await page.goto(`${base}/app/rounds/${roundId}`);
    await page.getByRole('link', { name: 'Send a reminder now' }).click();
    await page.waitForURL(`${base}/app/rounds/${roundId}/remind`);
    await page.getByRole('button', { name: 'Yes, send the reminder' }).click();
    await page.waitForURL(/done=reminding/);
    expect(await page.getByRole('status').textContent()).toContain('reminder is going out');

    // Pressed again at once, through the page and the API: the same reminder, nobody mailed twice.
    await page.goto(`${base}/app/rounds/${roundId}/remind`);
    await page.getByRole('button', { name: 'Yes, send the reminder' }).click();
    await page.waitForURL(/done=reminded-already/);
    const again = await t.http.post(`/rounds/${roundId}/reminders`).set(as(hrToken));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ repeated: true });

    await until('the reminder to have gone through', async () => {
      const { rows } = await t.db.query<{ unsent: number }>(
        `select count(*) filter (where sent_at is null)::int as unsent, count(*)::int as n
           from round_reminder where round_id = $1`,
        [roundId],
      );
      return rows[0].unsent === 0;
    });
    // Give a wrongly queued second reminder time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const reminders = mailbox.mails.slice(before).filter((m) => m.subject.startsWith('Reminder:'));
    expect(reminders.map((m) => m.to).sort()).toEqual(platformEmails.slice(K).sort());
    const requests = await t.db.query('select 1 from round_reminder where round_id = $1', [
      roundId,
    ]);
    expect(requests.rows).toHaveLength(1);

    await page.goto(`${base}/app/rounds/${roundId}`);
    const section = await page.getByRole('region', { name: 'Reminders' }).innerText();
    expect(section).toMatch(/Asked for .+: sent /);
    const audit = await t.db.query<{ action: string; detail: { repeated: boolean } }>(
      `select action, detail from audit_event where target_id = $1 and action = 'round.reminder_requested'
        order by at`,
      [roundId],
    );
    expect(audit.rows.map((r) => r.detail.repeated)).toEqual([false, true, true]);
    await page.context().close();
  });

  it('a leader sees only their teams’ rounds; another leader and another organisation are refused', async () => {
    const page = await open(1280);
    await signInAs(page, org.leader.email);
    expect(await panelLine(page)).toMatch(new RegExp(`answered ${K} of 10`));
    const panel = await page.getByRole('region', { name: 'Open now' }).innerText();
    expect(panel).not.toContain('Sales pulse');

    // A round HR runs over both teams is on the leader's panel too, counted over their team only,
    // and without a link to a page they may not manage.
    const wide = await openRoundNow(t.app, org, { name: 'Company pulse' });
    await page.reload();
    const line = await panelLine(page, 'Company pulse');
    expect(line).toContain('your teams: Platform');
    expect(line).toMatch(/answered 0 of \d+/);
    const leaderApi = await signIn(t.http, org.leader.email);
    const listed = await t.http.get(`/organisations/${org.orgId}/open-rounds`).set(as(leaderApi));
    expect(listed.status).toBe(200);
    const company = listed.body.find((r: { id: string }) => r.id === wide.roundId);
    expect(company).toMatchObject({ manageable: false, teamNames: ['Platform'] });
    const platformInvited = await t.db.query<{ invited: number }>(
      'select invited from round_team where round_id = $1 and unit_id = $2',
      [wide.roundId, org.teamId],
    );
    expect(company.invited).toBe(platformInvited.rows[0].invited);
    expect(
      await page
        .getByRole('region', { name: 'Open now' })
        .getByRole('link', { name: 'Company pulse' })
        .count(),
    ).toBe(0);
    await check(page, 'live-rounds-leader-home', 1280);
    const leaderToken = await signIn(t.http, org.leader.email);
    const sales = await t.http.get(`/campaigns/${salesCampaignId}/rounds`).set(as(leaderToken));
    expect(sales.status).toBe(403);
    await page.context().close();

    const otherLeader = await signIn(t.http, org.otherLeader.email);
    expect((await t.http.get(`/rounds/${roundId}`).set(as(otherLeader))).status).toBe(403);
    expect((await t.http.post(`/rounds/${roundId}/close`).set(as(otherLeader))).status).toBe(403);

    const theirs = await signIn(t.http, other.admin.email);
    for (const path of [`/app/rounds/${roundId}`, `/app/campaigns/${campaignId}/rounds`]) {
      const res = await t.http.get(path).set('cookie', `trellis_session=${theirs}`);
      expect(res.status).toBe(404);
    }
    expect((await t.http.post(`/rounds/${roundId}/close`).set(as(theirs))).status).toBe(404);
    expect((await t.http.post(`/rounds/${roundId}/reminders`).set(as(theirs))).status).toBe(404);
    const round = await t.db.query('select status, close_requested_at from round where id = $1', [
      roundId,
    ]);
    expect(round.rows).toEqual([{ status: 'open', close_requested_at: null }]);
  });

  it('HR closes the round now (confirmed); it is aggregated once and the team report shows it', async () => {
    const page = await open(1280);
    await signInAs(page, org.hr.email);
    await page.goto(`${base}/app/rounds/${roundId}`);
    await page.getByRole('link', { name: 'Close now' }).click();
    await page.waitForURL(`${base}/app/rounds/${roundId}/close`);
    expect(await page.locator('h1').textContent()).toBe('Close this round now?');
    await page.getByRole('button', { name: 'Yes, close the round now' }).click();
    await page.waitForURL(/done=closing/);
    expect(await page.getByRole('status').textContent()).toContain('closing now');

    const aggregated = await until('the round to be aggregated', async () => {
      const res = await t.http.get(`/rounds/${roundId}`).set(as(hrToken));
      return res.body.state === 'aggregated' ? res.body : null;
    });
    expect(aggregated).toMatchObject({
      status: 'closed',
      closeRequestedAt: expect.any(String),
      answeredStep: null,
      teams: [{ name: 'Platform', invited: 10, answered: K }],
    });
    // A second close is refused plainly and changes nothing: no second aggregation.
    const second = await t.http.post(`/rounds/${roundId}/close`).set(as(hrToken));
    expect(second.status).toBe(409);
    expect(second.body.message).toContain('already closed');
    await page.goto(`${base}/app/rounds/${roundId}/close`);
    await check(page, 'live-rounds-closed-confirm', 1280);
    expect(await page.getByRole('button', { name: 'Yes, close the round now' }).count()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await t.http.get(`/rounds/${roundId}`).set(as(hrToken));
    expect(after.body.aggregatedAt).toBe(aggregated.aggregatedAt);
    const audit = await t.db.query(
      `select 1 from audit_event where target_id = $1 and action = 'round.close_requested'`,
      [roundId],
    );
    expect(audit.rows).toHaveLength(1);

    await page.goto(`${base}/app/rounds/${roundId}`);
    expect(await page.locator('main').innerText()).toContain('Closed, results ready');
    expect(await page.getByRole('link', { name: 'Close now' }).count()).toBe(0);
    const panel = await panelLine(page, 'Sales pulse');
    expect(panel).toContain('Sales pulse');
    expect(await page.getByRole('region', { name: 'Open now' }).innerText()).not.toContain(
      'Live pulse',
    );

    const report = await t.http.get(`/units/${org.teamId}/report`).set(as(hrToken));
    expect(report.status).toBe(200);
    expect(report.body.latest).toMatchObject({
      round: { id: roundId },
      shown: true,
      respondents: K,
    });
    await page.goto(`${base}/app/rounds/${roundId}`);
    await page
      .getByRole('region', { name: 'Participation per team' })
      .getByRole('link', { name: 'Platform' })
      .click();
    await page.waitForURL(`${base}/app/units/${org.teamId}/report`);
    expect(await page.getByRole('region', { name: 'Latest round' }).innerText()).toContain(
      String(K),
    );
    // The round just closed next to the previous one (the imported January round), through the
    // report's own picker.
    await page.getByLabel('Compare with').selectOption(importedRoundId);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(new RegExp(`compare=${importedRoundId}`));
    const comparison = page.getByRole('region', { name: /Compared with the round 2026-01-05/ });
    const rows = comparison.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().innerText()).toMatch(/\d\.\d\d\s+\d\.\d\d\s+[+−-]?\d/);
    await check(page, 'live-rounds-report-compared', 1280);
    await page.context().close();
  });

  it('the reconciler does a reminder and a close recorded in PostgreSQL whose jobs were lost', async () => {
    const { roundId: lost } = await openRoundNow(t.app, org, {
      name: 'Lost jobs',
      teamIds: [org.subTeamId],
      leaderSelfView: false,
    });
    // A reminder whose job Redis already holds as completed (it ran before its row was written, and
    // found nothing to do): queuing it again is a no-op, so only the reconciler's re-drive sends it.
    const reminderId = randomUUID();
    const jobs = t.app.get(JobQueue);
    await jobs.add('round.remind-now', { reminderId });
    await until(
      'the early job to complete',
      async () =>
        (await jobs.stateOf(QUEUES.surveys, jobId('round.remind-now', { reminderId }))) ===
        'completed',
    );
    await t.db.query(
      `insert into round_reminder (id, organisation_id, round_id) values ($1, $2, $3)`,
      [reminderId, org.orgId, lost],
    );
    await until('the reconciler to send the reminder', async () => {
      const { rows } = await t.db.query<{ sent: boolean }>(
        'select sent_at is not null as sent from round_reminder where id = $1',
        [reminderId],
      );
      return rows[0].sent;
    });
    const reminded = mailbox.mails.filter(
      (m) => m.to === org.subMember.email && m.subject.startsWith('Reminder:'),
    );
    expect(reminded).toHaveLength(1);

    // A close recorded (the request's transaction committed) while Redis took no job at all.
    await t.app
      .get(DataSource)
      .transaction((tx) => t.app.get(RoundsService).requestClose(tx, lost));
    await until('the closed round to be aggregated', async () => {
      const { rows } = await t.db.query<{ status: string; aggregated: boolean }>(
        'select status, aggregated_at is not null as aggregated from round where id = $1',
        [lost],
      );
      return rows[0].status === 'closed' && rows[0].aggregated;
    });
  });
});
