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

    await page.keyboard.press('Tab'); // skip the brand link
    await page.keyboard.press('Tab');
    await page.keyboard.type(org.leader.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/app`);

    expect(await page.locator('h1').textContent()).toBe('My teams');
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
    await page.waitForURL(`${base}/sign-in`);
    await page.goto(`${base}/app`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('shows HR the whole organisation', async () => {
    const page = await phone();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(org.hr.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    const names = (await page.locator('ul.units li').allInnerTexts()).map((t) => t.split('\n')[1]);
    expect(names.sort()).toEqual(['Engineering', 'Org web', 'Platform', 'Platform Data', 'Sales']);
    await page.screenshot({ path: join(ARTIFACTS, 'organisation-hr.png'), fullPage: true });
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
