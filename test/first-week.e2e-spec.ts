/// <reference lib="dom" />
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { startMailbox } from './support/mailbox';
import { launch } from './support/processes';
import { signInLinkFor } from './support/sign-in-links';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

jest.setTimeout(300_000);

const ADMIN = { email: 'ada@firstweek.test', password: 'the first admin of first week' };
const HR = { email: 'hana@firstweek.test', name: 'Hana Reyes', password: 'hana chose this one' };
const LEAD = { email: 'leo@firstweek.test', name: 'Leo Lead', password: 'leo chose another one' };
const HEADER = 'email,name,team_key,team_name,department,role';
const ROSTER = [
  `${HR.email},${HR.name},people-ops,People Operations,Operations,member`,
  `${LEAD.email},${LEAD.name},platform,Platform,Engineering,leader`,
  ...Array.from(
    { length: 6 },
    (_, i) => `dev${i}@firstweek.test,Dev ${i},platform,Platform,Engineering,member`,
  ),
];

/**
 * The first week of an admin, in Chromium, on an organisation the CLI created and nothing else:
 * no /docs, no curl. Sign in; import the roster through the page (a bad row first, then the
 * corrected file, preview, confirm); invite the HR person and the team leader; each sets a
 * password from the emailed link (caught by a local SMTP server) and signs in; the admin grants
 * HR, raises the anonymity minimum and creates an API token that works. Every page is checked
 * with axe at 375 px and 1280 px, and screenshotted at both.
 */
describe('the first week of an admin, from an empty organisation', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let browser: Browser;
  let base: string;
  let orgId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url });
    worker = await startWorker();
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  async function open(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    // Script errors, CSP refusals and assets that fail to load. (A page answering 4xx, such as
    // a file with problems, is a console "failed to load" too: that one is the point, not a fault.)
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document' && r.status() >= 400)
        problems.push(`${r.status()} ${r.url()}`);
    });
    (page as Page & { problems: string[] }).problems = problems;
    return page;
  }

  const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

  /** axe and a screenshot at phone and desktop width, nothing wider than a phone, no CSP errors. */
  async function look(page: Page, name: string): Promise<void> {
    const width = page.viewportSize()!.width;
    for (const w of [375, 1280]) {
      await page.setViewportSize({ width: w, height: 800 });
      expect({ page: name, width: w, axe: await accessibilityViolations(page) }).toEqual({
        page: name,
        width: w,
        axe: [],
      });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ page: name, width: w, fits: scroll <= w }).toEqual({
        page: name,
        width: w,
        fits: true,
      });
      await page.screenshot({
        path: join(ARTIFACTS, `first-week-${name}-${w}.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width, height: 800 });
    expect(problemsOf(page)).toEqual([]);
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
  }

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  const csv = (lines: string[]) => ({
    name: 'roster.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([HEADER, ...lines].join('\n') + '\n'),
  });

  async function linkFor(email: string, from: number): Promise<string> {
    return `/set-password/${await signInLinkFor(mailbox, t.db, email, from)}`;
  }

  /** The emailed link on a phone: choose a password, then sign in with it. */
  async function setPasswordAndSignIn(path: string, who: typeof HR | typeof LEAD, name: string) {
    const phone = await open(375);
    await phone.goto(`${base}${path}`);
    expect(await phone.locator('h1').textContent()).toBe('Choose your password');
    await look(phone, `set-password-${name}`);
    await phone.getByLabel('New password').fill(who.password);
    await phone.getByLabel('The same password again').fill(who.password);
    await phone.getByRole('button', { name: 'Set password' }).click();
    await phone.waitForURL(`${base}/sign-in?done=password`);
    await signIn(phone, who.email, who.password);
    expect(await phone.locator('h1').textContent()).toBe(`Welcome, ${who.name}`);
    return phone;
  }

  it('takes an organisation from nothing to people who can sign in', async () => {
    // Day 0: the only command-line step, creating the organisation and its first admin.
    const cli = launch('cli', {}, [
      'create-org',
      '--slug',
      'firstweek',
      '--name',
      'First Week Ltd',
      '--admin-email',
      ADMIN.email,
      '--admin-password',
      ADMIN.password,
    ]);
    const created = await cli.finished;
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    orgId = (
      await t.db.query<{ id: string }>(`select id from organisation where slug = 'firstweek'`)
    ).rows[0].id;

    // The admin signs in and finds setup from the home page.
    const admin = await open(1280);
    await signIn(admin, ADMIN.email, ADMIN.password);
    await look(admin, 'home');

    // The roster: a file with a bad row is explained by line and column, nothing is written…
    await nav(admin, 'Roster import').click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/import`);
    await look(admin, 'import');
    const bad = [...ROSTER];
    bad[3] = 'dev1-at-firstweek.test,Dev 1,platform,Platform,Engineering,member';
    await admin.getByLabel('Roster file (CSV)').setInputFiles(csv(bad));
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/import/preview`);
    const rows = await admin.locator('table.roster-problems tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^5\temail/);
    expect(await admin.getByRole('button', { name: 'Import these changes' }).count()).toBe(0);
    await look(admin, 'import-problems');
    const people = async () =>
      Number(
        (await t.db.query(`select count(*) from person where organisation_id = $1`, [orgId]))
          .rows[0].count,
      );
    expect(await people()).toBe(1);

    // …the corrected file is previewed, then confirmed.
    await admin.getByLabel('Corrected file', { exact: true }).setInputFiles(csv(ROSTER));
    await admin.getByRole('button', { name: 'Check the corrected file' }).click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/import/preview`);
    const facts = (await admin.locator('ul.roster-counts li').allInnerTexts()).map((f) =>
      f.replace(/\s+/g, ' ').trim(),
    );
    expect(facts).toEqual(expect.arrayContaining(['8 people added', '2 teams added']));
    await look(admin, 'import-preview');
    expect(await people()).toBe(1);
    await admin.getByRole('button', { name: 'Import these changes' }).click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/import`);
    expect(await admin.locator('h1').textContent()).toBe('Roster imported');
    expect(await people()).toBe(9);

    // Invitations: the HR person from their page, the leader with "everyone imported".
    await nav(admin, 'People').click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/people`);
    await look(admin, 'people');
    await admin.getByLabel('Name or email').fill('hana');
    await admin.getByRole('button', { name: 'Show' }).click();
    await admin.waitForURL(/search=hana/);
    await admin.getByRole('link', { name: HR.name }).click();
    await admin.waitForURL(new RegExp(`/app/organisations/${orgId}/people/[0-9a-f-]{36}$`));
    const hrPage = admin.url();
    let from = mailbox.mails.length;
    await admin.getByRole('button', { name: 'Send sign-in invitation' }).click();
    await admin.waitForURL(/done=invited/);
    const hrLink = await linkFor(HR.email, from);

    await admin.goto(`${base}/app/organisations/${orgId}/people`);
    await admin.getByRole('link', { name: 'Invite everyone imported' }).click();
    // Only the leader: the HR person already has a working invitation, members need none.
    from = mailbox.mails.length;
    await admin.getByRole('button', { name: 'Send 1 invitation' }).click();
    const leadLink = await linkFor(LEAD.email, from);
    // Team members are never sent a sign-in invitation.
    expect(mailbox.mails.filter((m) => m.to.startsWith('dev'))).toEqual([]);

    // Each sets a password from their link and signs in; the leader sees their team.
    const lead = await setPasswordAndSignIn(leadLink, LEAD, 'leader');
    expect(await lead.locator('ul.units li').allInnerTexts()).toEqual([
      expect.stringContaining('Platform'),
    ]);
    await look(lead, 'leader-home');
    const hr = await setPasswordAndSignIn(hrLink, HR, 'hr');
    // Not HR yet: no organisation pages in the navigation.
    expect(await nav(hr, 'Organisation').count()).toBe(0);

    // The admin grants HR; the HR person's next page shows the organisation.
    await admin.goto(hrPage);
    await admin.getByRole('button', { name: 'Grant HR' }).click();
    await admin.waitForURL(/done=granted/);
    await look(admin, 'person');
    await hr.reload();
    await nav(hr, 'Organisation').click();
    await hr.waitForURL(`${base}/app/organisations/${orgId}`);
    await look(hr, 'hr-overview');

    // Setup: a stricter anonymity minimum, audited with before and after.
    await nav(admin, 'Settings').click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/settings`);
    await look(admin, 'settings');
    await admin.getByLabel('Minimum group size (k)').fill('7');
    await admin.getByRole('button', { name: 'Save anonymity minimums' }).click();
    await admin.waitForURL(/\?saved=anonymity/);
    expect(await admin.getByLabel('Minimum group size (k)').inputValue()).toBe('7');
    const settings = await t.db.query<{ detail: Record<string, unknown> }>(
      `select detail from audit_event where organisation_id = $1 and action = 'settings.change'`,
      [orgId],
    );
    expect(settings.rows).toHaveLength(1);
    expect(settings.rows[0].detail).toMatchObject({
      before: { anonymity: { minGroupSize: 5 } },
      after: { anonymity: { minGroupSize: 7 } },
    });

    // An API token for the HR system: shown once, and it works.
    await nav(admin, 'API tokens').click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/tokens`);
    await admin.getByLabel('Name').fill('HR system nightly sync');
    await admin.getByRole('button', { name: 'Create token' }).click();
    await admin.getByRole('heading', { name: 'Token created: HR system nightly sync' }).waitFor();
    const secret = (await admin.locator('.secret').first().innerText()).trim();
    await look(admin, 'token-created');
    const me = await t.http.get('/auth/me').set('authorization', `Bearer ${secret}`);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN.email);

    // And the audit log shows the week: the import, the roles, the settings, the token.
    await nav(admin, 'Audit log').click();
    await admin.waitForURL(`${base}/app/organisations/${orgId}/audit`);
    await look(admin, 'audit');
    const actions = (
      await t.db.query<{ action: string }>(
        `select distinct action from audit_event where organisation_id = $1`,
        [orgId],
      )
    ).rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['roster.import', 'settings.change', 'api_token.create']),
    );
    for (const context of contexts) await context.close();
  });
});
