/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

describe('web pages in headless Chromium at phone width', () => {
  let t: TestApp;
  let org: OrgFixture;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'web');
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function phone(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    return context.newPage();
  }

  it('signs a leader in with the keyboard alone and shows only the teams they lead', async () => {
    const page = await phone();
    await page.goto(`${base}/app`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png'), fullPage: true });

    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab'); // the brand
    await page.keyboard.press('Tab');
    await page.keyboard.type(org.leader.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/app`);

    expect(await page.locator('h1').textContent()).toMatch(/^Welcome, /);
    // A leader's navigation has no organisation pages.
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toBe('Home');
    const teams = await page.locator('ul.units li').allInnerTexts();
    expect(teams.map((t) => t.split('\n')[1])).toEqual(['Platform', 'Platform Data']);
    expect(await page.content()).not.toContain('Sales');
    expect(await accessibilityViolations(page)).toEqual([]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(ARTIFACTS, 'my-teams-leader.png'), fullPage: true });

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'trellis_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/sign-in?done=signed-out`);
    // The session ended on the server, not only in this browser: the old cookie is worthless.
    const replay = await fetch(`${base}/auth/me`, {
      headers: { cookie: `trellis_session=${session!.value}` },
    });
    expect(replay.status).toBe(401);
    await page.goto(`${base}/app`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('takes HR to the organisation and its setup, and shows a page for a path that does not exist', async () => {
    const page = await phone();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(org.hr.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    const nav = await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .allInnerTexts();
    expect(nav).toEqual([
      'Home',
      'Organisation',
      'People',
      'Campaigns',
      'Questionnaires',
      'Comments',
      'Roster import',
      'Audit log',
      'Settings',
      'API tokens',
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'home-hr.png'), fullPage: true });
    await page.getByRole('link', { name: 'Organisation overview' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}`);

    const missing = await page.goto(`${base}/app/no/such/page`);
    expect(missing!.status()).toBe(404);
    expect(missing!.headers()['content-type']).toContain('text/html');
    expect(missing!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await page.locator('h1').textContent()).toBe('Not found');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('brings a person who follows a deep link back to it after signing in', async () => {
    const page = await phone();
    const report = `/app/units/${org.teamId}/report`;
    await page.goto(`${base}${report}`);
    expect(page.url()).toBe(`${base}/sign-in?next=${encodeURIComponent(report)}`);
    await page.getByLabel('Email').fill(org.leader.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}${report}`);
    expect(new URL(page.url()).pathname).toBe(report);
  });

  it('refuses a sign-in form posted from another site (login CSRF)', async () => {
    const answer = await fetch(`${base}/sign-in`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      },
      body: new URLSearchParams({ email: org.hr.email, password: PASSWORD }).toString(),
      redirect: 'manual',
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('set-cookie') ?? '').not.toContain('trellis_session');
  });

  it('says plainly when the password is wrong, and keeps the email', async () => {
    const page = await phone();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(org.hr.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'email or password is wrong',
    );
    expect(await page.getByLabel('Email').inputValue()).toBe(org.hr.email);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-error.png'), fullPage: true });
  });
});
