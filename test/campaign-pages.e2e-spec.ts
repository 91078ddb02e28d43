/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const WIDTHS = [375, 1280] as const;

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no form with a CSRF token');
  return match[1];
}

/** Text of the page without tags, spaces collapsed, for reading what a person reads. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * The campaign pages over CampaignsService: HR starts a campaign through the form (a preview
 * first, its five next openings in the campaign's zone and the viewer's), edits, pauses and
 * resumes it, every change audited; a leader sees and picks only their teams; a refused form
 * names each field. Then Chromium at phone and desktop width, with axe.
 */
describe('campaign pages', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;
  let leader: string;
  let otherLeader: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'campaign-pages');
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    otherLeader = await signIn(t.http, org.otherLeader.email);
  }, 60_000);
  afterAll(() => t?.close());

  const cookie = (token: string) => `trellis_session=${token}`;
  const get = (token: string, path: string) => t.http.get(path).set('cookie', cookie(token));
  /** Posts a form as the browser sends it: repeated fields repeated, from a page's CSRF token. */
  async function post(token: string, path: string, form: [string, string][], from = '/app') {
    const csrf = csrfOf((await get(token, from)).text);
    const body = new URLSearchParams([['_csrf', csrf], ...form]).toString();
    return t.http.post(path).set('cookie', cookie(token)).type('form').send(body);
  }
  const audit = async (campaignId: string) =>
    (
      await t.db.query<{ action: string; actor_person_id: string; detail: { changed?: string[] } }>(
        `select action, actor_person_id, detail from audit_event
          where target_kind = 'campaign' and target_id = $1 order by id`,
        [campaignId],
      )
    ).rows;

  const draft = (teams: string[], over: Record<string, string> = {}): [string, string][] => [
    ['name', over.name ?? 'Engineering pulse'],
    ['form', over.form ?? 'short'],
    ['cadence', over.cadence ?? 'weekly'],
    ['cron', over.cron ?? ''],
    ['timezone', over.timezone ?? 'Europe/Berlin'],
    ['startsOn', over.startsOn ?? '2027-03-01'],
    ['openDays', over.openDays ?? '5'],
    ['reminderDays', over.reminderDays ?? '2, 4'],
    ['leaderSelfView', 'true'],
    ...teams.map((id): [string, string] => ['teamIds', id]),
    ...(over.zone ? [['zone', over.zone] as [string, string]] : []),
    ['intent', over.intent ?? 'save'],
  ];

  let campaignId: string;

  it('shows HR every team of the tree to pick, nested, and previews five openings in two zones', async () => {
    const form = await get(hr, `/app/organisations/${org.orgId}/campaigns/new`);
    expect(form.status).toBe(200);
    for (const id of [org.teamId, org.subTeamId, org.otherTeamId])
      expect(form.text).toContain(`name="teamIds" value="${id}"`);
    // Platform Data sits inside Platform's list item, under Engineering.
    const platform = form.text.indexOf(`value="${org.teamId}"`);
    const data = form.text.indexOf(`value="${org.subTeamId}"`);
    expect(form.text.slice(platform, data)).toMatch(/<ul class="team-tree">/);

    const res = await post(
      hr,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([org.teamId], { intent: 'preview', zone: 'America/New_York' }),
    );
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    // Weekly from Monday 1 March 2027 at 09:00 Berlin: 03:00 in New York (EST), until the US
    // clocks go forward on 14 March (04:00 EDT) while Berlin's wait for 28 March.
    expect(text).toContain('Mon 1 Mar 2027, 09:00 Sat 6 Mar 2027, 09:00 Mon 1 Mar 2027, 03:00');
    expect(text).toContain('Mon 15 Mar 2027, 09:00 Sat 20 Mar 2027, 09:00 Mon 15 Mar 2027, 04:00');
    expect(text).toContain('Mon 29 Mar 2027, 09:00 Sat 3 Apr 2027, 09:00 Mon 29 Mar 2027, 03:00');
    expect(res.text.match(/<tr><th scope="row">\d<\/th>/g)).toHaveLength(5);
    // A preview writes nothing.
    const { rows } = await t.db.query('select 1 from campaign where organisation_id = $1', [
      org.orgId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('names every bad field for people, keeps what was typed, and writes nothing', async () => {
    const res = await post(
      hr,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([], {
        name: ' ',
        timezone: 'Mars/Olympus',
        openDays: 'five',
        reminderDays: '2, 9',
        startsOn: '2027-02-30',
      }),
    );
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain('There are 5 problems');
    expect(text).toContain('Name: is needed: give the campaign a name');
    expect(text).toContain('Days open: must be a number of days from 1 to 90');
    expect(text).toContain('First day: must be a date that exists, written like 2026-11-23');
    expect(text).toContain('Teams: pick at least one team');
    expect(res.text).toContain('href="#teamIds"');
    expect(res.text).toContain('value="Mars/Olympus"');
    // The schedule's own checks come once the fields are there: the zone and a late reminder.
    const late = await post(
      hr,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([org.teamId], { timezone: 'Mars/Olympus', reminderDays: '2, 9' }),
    );
    expect(late.status).toBe(400);
    const lateText = textOf(late.text);
    expect(lateText).toContain('Time zone: is not an IANA time zone (e.g. Europe/Berlin)');
    expect(lateText).toContain('Reminder days (the second one): must fall while the round is open');
    expect(late.text).toMatch(
      /id="reminderDays"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="reminderDays"/,
    );
    const { rows } = await t.db.query('select 1 from campaign where organisation_id = $1', [
      org.orgId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('lets HR start a campaign, lists it with its next opening, and audits it', async () => {
    const res = await post(
      hr,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([org.teamId, org.otherTeamId]),
    );
    expect(res.status).toBe(303);
    const location = String(res.headers.location);
    campaignId = /\/app\/campaigns\/([0-9a-f-]{36})\?done=created$/.exec(location)![1];

    const page = await get(hr, location);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('The campaign is started');
    expect(textOf(page.text)).toContain('Mon 1 Mar 2027, 09:00');

    const list = textOf((await get(hr, `/app/organisations/${org.orgId}/campaigns`)).text);
    expect(list).toContain('Engineering pulse');
    expect(list).toContain('Autonomy–Alignment Pulse');
    expect(list).toContain('Platform, Sales');
    expect(list).toContain('Every Monday, 09:00');
    expect(list).toContain('Active');
    expect(list).toContain('Mon 1 Mar 2027, 09:00');

    // The JSON API reads the same next rounds from the same service.
    const json = await t.http.get(`/campaigns/${campaignId}`).set('authorization', `Bearer ${hr}`);
    expect(json.status).toBe(200);
    const next = json.body.nextRounds as { opensAt: string; closesAt: string }[];
    expect(next.map((r) => r.opensAt)).toEqual([
      '2027-03-01T08:00:00.000Z',
      '2027-03-08T08:00:00.000Z',
      '2027-03-15T08:00:00.000Z',
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
    expect(next[0].closesAt).toBe('2027-03-06T08:00:00.000Z');

    expect(await audit(campaignId)).toEqual([
      expect.objectContaining({ action: 'campaign.create', actor_person_id: org.hr.id }),
    ]);
  });

  it('lets HR edit the campaign: fields, teams, schedule; the next rounds follow', async () => {
    const res = await post(
      hr,
      `/app/campaigns/${campaignId}`,
      draft([org.otherTeamId], {
        name: 'Sales pulse',
        form: 'full',
        cadence: 'monthly',
        openDays: '7',
        reminderDays: '3',
        timezone: 'America/New_York',
      }),
    );
    expect(res.status).toBe(303);
    const { rows } = await t.db.query<Record<string, unknown>>(
      `select name, form, cadence, timezone, open_days::float8 as "openDays",
        reminder_days::float8[] as "reminderDays", leader_self_view as "leaderSelfView",
        array(select unit_id from campaign_team where campaign_id = c.id) as "teamIds"
        from campaign c where id = $1`,
      [campaignId],
    );
    expect(rows[0]).toEqual({
      name: 'Sales pulse',
      form: 'full',
      cadence: 'monthly',
      timezone: 'America/New_York',
      openDays: 7,
      reminderDays: [3],
      leaderSelfView: true,
      teamIds: [org.otherTeamId],
    });
    expect(String(res.headers.location)).toBe(`/app/campaigns/${campaignId}?done=saved`);
    const text = textOf((await get(hr, `${String(res.headers.location)}&zone=Europe/Berlin`)).text);
    expect(text).toContain('Changes saved');
    // 1 March 2027 09:00 in New York is 15:00 in Berlin; closing a week later.
    expect(text).toContain('Mon 1 Mar 2027, 09:00 Mon 8 Mar 2027, 09:00 Mon 1 Mar 2027, 15:00');
    expect(text).toContain('Thu 1 Jul 2027, 09:00');
    const last = (await audit(campaignId)).at(-1)!;
    expect(last.action).toBe('campaign.update');
    expect(last.detail.changed).toEqual(
      expect.arrayContaining(['name', 'form', 'cadence', 'timezone', 'openDays', 'teamIds']),
    );
  });

  it('pauses and resumes: no next rounds while paused, audited each time', async () => {
    const paused = await post(hr, `/app/campaigns/${campaignId}/pause`, []);
    expect(paused.status).toBe(303);
    const page = textOf((await get(hr, String(paused.headers.location))).text);
    expect(page).toContain('The campaign is paused');
    expect(page).toContain('None while the campaign is paused');
    const list = textOf((await get(hr, `/app/organisations/${org.orgId}/campaigns`)).text);
    expect(list).toContain('Paused');
    expect(list).toContain('None while paused');
    const json = await t.http.get(`/campaigns/${campaignId}`).set('authorization', `Bearer ${hr}`);
    expect(json.body).toMatchObject({ active: false, nextRounds: [] });

    const resumed = await post(hr, `/app/campaigns/${campaignId}/resume`, []);
    expect(resumed.status).toBe(303);
    const again = await t.http.get(`/campaigns/${campaignId}`).set('authorization', `Bearer ${hr}`);
    expect(again.body.active).toBe(true);
    expect(again.body.nextRounds).toHaveLength(5);
    expect((await audit(campaignId)).map((a) => a.action).slice(-2)).toEqual([
      'campaign.pause',
      'campaign.resume',
    ]);
  });

  it('gives a leader only their own teams, and refuses another team with a 403', async () => {
    const form = await get(leader, `/app/organisations/${org.orgId}/campaigns/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`name="teamIds" value="${org.teamId}"`);
    expect(form.text).toContain(`name="teamIds" value="${org.subTeamId}"`);
    expect(form.text).not.toContain(`value="${org.otherTeamId}"`);

    const refused = await post(
      leader,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([org.teamId, org.otherTeamId], { name: 'Sneaky pulse' }),
    );
    expect(refused.status).toBe(403);
    const none = await t.db.query(`select 1 from campaign where name = 'Sneaky pulse'`);
    expect(none.rows).toHaveLength(0);

    const ok = await post(
      leader,
      `/app/organisations/${org.orgId}/campaigns`,
      draft([org.subTeamId], { name: 'Data pulse' }),
    );
    expect(ok.status).toBe(303);
    const mine = /\/app\/campaigns\/([0-9a-f-]{36})/.exec(String(ok.headers.location))![1];

    // Their list holds their campaign only; HR's Sales campaign is not theirs.
    const list = textOf((await get(leader, `/app/organisations/${org.orgId}/campaigns`)).text);
    expect(list).toContain('Data pulse');
    expect(list).not.toContain('Sales pulse');
    expect((await get(leader, `/app/campaigns/${campaignId}`)).status).toBe(403);

    // Editing their own campaign to take in a team they do not lead is refused too.
    const grab = await post(
      leader,
      `/app/campaigns/${mine}`,
      draft([org.subTeamId, org.otherTeamId], { name: 'Data pulse' }),
    );
    expect(grab.status).toBe(403);
    const teams = await t.db.query(`select unit_id from campaign_team where campaign_id = $1`, [
      mine,
    ]);
    expect(teams.rows).toEqual([{ unit_id: org.subTeamId }]);

    // The other team's leader cannot pause it.
    expect((await post(otherLeader, `/app/campaigns/${mine}/pause`, [])).status).toBe(403);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let base: string;

    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      base = await t.app.getUrl();
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function open(width: number, email: string): Promise<Page> {
      const context = await browser.newContext({
        viewport: { width, height: 800 },
        timezoneId: 'Asia/Tokyo',
      });
      const page = await context.newPage();
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/app`);
      return page;
    }

    async function check(page: Page, name: string, width: number): Promise<void> {
      expect(await accessibilityViolations(page)).toEqual([]);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }

    it('lets HR fill the form, preview in their own zone, and start a campaign', async () => {
      for (const width of WIDTHS) {
        const page = await open(width, org.hr.email);
        await page.getByRole('link', { name: 'Campaigns' }).first().click();
        await page.waitForURL(`${base}/app/organisations/${org.orgId}/campaigns`);
        await check(page, 'campaigns', width);
        await page.getByRole('link', { name: 'New campaign' }).click();
        await page.getByLabel('Name').fill(`Browser pulse ${width}`);
        await page.getByLabel('Platform Data').check();
        await page.getByLabel('Cadence', { exact: true }).selectOption('monthly');
        await page.getByLabel('First day').fill('2027-01-01');
        // The browser script offers the viewer's own zone for the preview.
        expect(await page.getByLabel(/Also show the next rounds/).inputValue()).toBe('Asia/Tokyo');
        await page.getByRole('button', { name: 'Preview the next rounds' }).click();
        await page.waitForURL(`${base}/app/organisations/${org.orgId}/campaigns`);
        const preview = page.getByRole('region', { name: 'Next rounds' });
        expect(
          await preview.getByRole('columnheader', { name: 'Opens (Asia/Tokyo)' }).count(),
        ).toBe(1);
        // 09:00 in Berlin on 1 February 2027 is 17:00 in Tokyo.
        expect(await preview.textContent()).toContain('Mon 1 Feb 2027, 17:00');
        await check(page, 'campaign-new', width);
        await page.getByRole('button', { name: 'Start the campaign' }).click();
        await page.waitForURL(/\/app\/campaigns\/[0-9a-f-]{36}\?done=created$/);
        expect(await page.getByRole('status').textContent()).toContain('The campaign is started');
        await check(page, 'campaign-edit', width);
        await page.getByRole('button', { name: 'Pause the campaign' }).click();
        await page.waitForURL(/done=paused$/);
        await page.getByRole('button', { name: 'Resume the campaign' }).click();
        await page.waitForURL(/done=resumed$/);
        await page.context().close();
      }
      const { rows } = await t.db.query(
        `select name from campaign where name like 'Browser pulse %' order by name`,
      );
      expect(rows).toEqual([{ name: 'Browser pulse 1280' }, { name: 'Browser pulse 375' }]);
    });

    it('shows a refused form with its error summary, accessible, at both widths', async () => {
      for (const width of WIDTHS) {
        const page = await open(width, org.leader.email);
        await page.goto(`${base}/app/organisations/${org.orgId}/campaigns/new`);
        await page.getByLabel('Days open').fill('0');
        await page.getByRole('button', { name: 'Start the campaign' }).click();
        const summary = page.getByRole('alert');
        expect(await summary.textContent()).toContain(
          'Days open: must be a number of days from 1 to 90',
        );
        expect(await summary.textContent()).toContain('Teams: pick at least one team');
        await check(page, 'campaign-refused', width);
        await page.context().close();
      }
    });
  });
});
