/// <reference lib="dom" />
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { PeopleService } from '@trellis/organisation';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, type OrgFixture } from './support/fixtures';
import { startMailbox } from './support/mailbox';
import { signInLinkFor } from './support/sign-in-links';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

jest.setTimeout(120_000);

const WIDTHS = [375, 1280] as const;

/**
 * The people pages in headless Chromium: an admin invites a person, the email is caught by a
 * local SMTP server, the person opens the link, sets a password and signs in; then the admin
 * grants a role and deactivates them, and their open session ends. axe and screenshots at phone
 * and desktop width.
 */
describe('people pages in Chromium', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let org: OrgFixture;
  let browser: Browser;
  let base: string;
  let invitee: { id: string; email: string };

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url });
    worker = await startWorker();
    org = await createOrg(t.app, 'people-pages');
    const people = t.app.get(PeopleService);
    const p = await people.create(org.orgId, {
      email: 'nora@people-pages.test',
      name: 'Nora Lead',
    });
    await people.addMembership(org.otherTeamId, p.id, 'leader');
    invitee = { id: p.id, email: p.email };
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  async function open(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    return context.newPage();
  }

  async function signInAs(page: Page, email: string, password = PASSWORD): Promise<void> {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
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

  it('lists and searches people at phone and desktop width', async () => {
    for (const width of WIDTHS) {
      const page = await open(width);
      await signInAs(page, org.hr.email);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'People' })
        .click();
      await page.waitForURL(`${base}/app/organisations/${org.orgId}/people`);
      expect(await page.locator('h1').textContent()).toBe('People');
      await check(page, 'people-list', width);
      await page.getByLabel('Name or email').fill('nora');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/search=nora/);
      const rows = await page.locator('ul.people li').allInnerTexts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('Nora Lead');
      expect(rows[0]).toContain('Leads Sales');
      // HR sees no "invite everyone" (admins only).
      expect(await page.getByRole('link', { name: 'Invite everyone imported' }).count()).toBe(0);
      await page.context().close();
    }
  });

  it('an admin invites a person; they set a password from the emailed link and sign in', async () => {
    const admin = await open(1280);
    await signInAs(admin, org.admin.email);
    await admin.goto(`${base}/app/organisations/${org.orgId}/people/${invitee.id}`);
    expect(await admin.locator('h1').textContent()).toBe('Nora Lead');
    await check(admin, 'person', 1280);
    const from = mailbox.mails.length;
    await admin.getByRole('button', { name: 'Send sign-in invitation' }).click();
    await admin.waitForURL(/done=invited/);
    expect(await admin.getByRole('status').textContent()).toContain('on its way');

    const path = `/set-password/${await signInLinkFor(mailbox, t.db, invitee.email, from)}`;

    const phone = await open(375);
    await phone.goto(`${base}${path}`);
    expect(await phone.locator('h1').textContent()).toBe('Choose your password');
    await check(phone, 'set-password', 375);
    await phone.getByLabel('New password').fill('nora has a long password');
    await phone.getByLabel('The same password again').fill('nora has another password');
    await phone.getByRole('button', { name: 'Set password' }).click();
    expect(await phone.getByRole('alert').textContent()).toContain('not the same');
    await check(phone, 'set-password-problem', 375);
    await phone.getByLabel('New password').fill('nora has a long password');
    await phone.getByLabel('The same password again').fill('nora has a long password');
    await phone.getByRole('button', { name: 'Set password' }).click();
    await phone.waitForURL(`${base}/sign-in?done=password`);
    expect(await phone.getByRole('status').textContent()).toContain('Your password is set');
    await phone.getByLabel('Email').fill(invitee.email);
    await phone.getByLabel('Password', { exact: true }).fill('nora has a long password');
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${base}/app`);
    expect(await phone.locator('h1').textContent()).toBe('Welcome, Nora Lead');

    // The link worked once.
    const again = await (await open(375)).goto(`${base}${path}`);
    expect(again!.status()).toBe(410);

    // The admin grants HR, then deactivates her: her open session ends at once.
    await admin.goto(`${base}/app/organisations/${org.orgId}/people/${invitee.id}`);
    await admin.getByRole('button', { name: 'Grant HR' }).click();
    await admin.waitForURL(/done=granted/);
    expect(await admin.getByRole('button', { name: 'Revoke HR' }).count()).toBe(1);
    await admin.getByRole('button', { name: 'Deactivate' }).click();
    await admin.waitForURL(/done=deactivated/);
    expect(await admin.locator('.pill.inactive').first().textContent()).toBe('Deactivated');
    await check(admin, 'person-deactivated', 1280);
    await phone.goto(`${base}/app`);
    expect(new URL(phone.url()).pathname).toBe('/sign-in');
  });

  it('refuses the last admin’s own deactivation on the page, with the reason', async () => {
    const page = await open(375);
    await signInAs(page, org.admin.email);
    await page.goto(`${base}/app/organisations/${org.orgId}/people/${org.admin.id}`);
    await check(page, 'person-admin', 375);
    await page.getByRole('button', { name: 'Deactivate' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('last active admin');
  });

  it('shows the "invite everyone imported" confirmation to an admin', async () => {
    const people = t.app.get(PeopleService);
    const p = await people.create(org.orgId, { email: 'ola@people-pages.test', name: 'Ola New' });
    await people.setRoles(p.id, ['hr']);
    for (const width of WIDTHS) {
      const page = await open(width);
      await signInAs(page, org.admin.email);
      await page.goto(`${base}/app/organisations/${org.orgId}/people`);
      await page.getByRole('link', { name: 'Invite everyone imported' }).click();
      expect(await page.locator('h1').textContent()).toBe('Invite everyone imported');
      expect(await page.locator('main').innerText()).toContain('Team members are not invited');
      await check(page, 'invite-everyone', width);
      await page.context().close();
    }
    const page = await open(1280);
    await signInAs(page, org.admin.email);
    await page.goto(`${base}/app/organisations/${org.orgId}/sign-in-invitations`);
    await page.getByRole('button', { name: 'Send 1 invitation' }).click();
    await page.waitForURL(/invited=1/);
    expect(await page.getByRole('status').textContent()).toContain('1 person');
    await until('the bulk invitation', async () =>
      mailbox.mails.find((m) => m.to === 'ola@people-pages.test'),
    );
  });

  it('forgot password answers the same for an unknown email, at both widths', async () => {
    for (const width of WIDTHS) {
      const page = await open(width);
      await page.goto(`${base}/sign-in`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL(`${base}/forgot-password`);
      await check(page, 'forgot-password', width);
      await page
        .getByLabel('Email')
        .fill(width === 375 ? 'nobody@people-pages.test' : org.leader.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      expect(await page.getByRole('status').textContent()).toBe(
        'If this email belongs to an account, a link to choose a new password is on its way.',
      );
      await check(page, 'forgot-password-sent', width);
      await page.context().close();
    }
    await until('the reset email', async () =>
      mailbox.mails.find(
        (m) => m.to === org.leader.email && m.subject === 'Reset your Trellis password',
      ),
    );
    expect(mailbox.mails.filter((m) => m.to === 'nobody@people-pages.test')).toEqual([]);
  });
});
