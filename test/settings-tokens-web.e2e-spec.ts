/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { anonymityOf } from '@trellis/organisation';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { startWebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(120_000);

/**
 * An administrator in Chromium: changes the anonymity minimum on the settings page (a value
 * under the floor first), tries the webhook, creates an API token and revokes it. Every page is
 * checked with axe and photographed at phone and desktop width.
 */
describe('settings and API tokens pages in Chromium', () => {
  let t: TestApp;
  let org: OrgFixture;
  let browser: Browser;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => 200);
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    org = await createOrg(t.app, 'web-setup');
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    return page;
  }

  /** axe and a screenshot at 375 px and at 1280 px; nothing may scroll sideways on a phone. */
  async function check(page: Page, name: string): Promise<void> {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: width === 375 ? 740 : 900 });
      expect({ width, violations: await accessibilityViolations(page) }).toEqual({
        width,
        violations: [],
      });
      if (width === 375)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          375,
        );
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 375, height: 740 });
  }

  /** k as every reader applies it, read through the one reader. */
  const k = async () => (await anonymityOf(t.app.get(DataSource), org.orgId)).minGroupSize;

  it('changes the anonymity minimum through the page, refusing one below the floor', async () => {
    const page = await signedIn(org.admin.email);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/settings`);
    expect(await page.locator('h1').textContent()).toBe('Organisation settings');
    await check(page, 'settings');

    const k1 = page.getByLabel('Minimum group size (k)');
    expect(await k1.inputValue()).toBe('5');
    await k1.fill('2');
    await page.getByRole('button', { name: 'Save anonymity minimums' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Minimum group size (k) must be at least 3',
    );
    expect(await page.getByLabel('Minimum group size (k)').inputValue()).toBe('2');
    expect(await page.getByLabel('Minimum group size (k)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await k()).toBe(5);
    await check(page, 'settings-refused');

    await page.getByLabel('Minimum group size (k)').fill('7');
    await page.getByRole('button', { name: 'Save anonymity minimums' }).click();
    await page.waitForURL(/\?saved=anonymity/);
    await expect(page.locator('#anonymity [role=status]').textContent()).resolves.toContain(
      'Anonymity minimums saved',
    );
    expect(await page.getByLabel('Minimum group size (k)').inputValue()).toBe('7');
    expect(await k()).toBe(7);
    const entry = (
      await t.db.query<{ actor_email: string; detail: { before: unknown; after: unknown } }>(
        `select actor_email, detail from audit_event where organisation_id = $1 and action = 'settings.change'`,
        [org.orgId],
      )
    ).rows;
    expect(entry).toEqual([
      {
        actor_email: org.admin.email,
        detail: {
          groups: ['anonymity'],
          before: { anonymity: { minGroupSize: 5, minCommentGroup: 10 } },
          after: { anonymity: { minGroupSize: 7, minCommentGroup: 10 } },
        },
      },
    ]);

    // The webhook: saved, then a test message whose answer the page shows.
    await page.getByLabel('Webhook address').fill(receiver.url('/hook'));
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await page.waitForURL(/\?saved=notifications/);
    await page.getByRole('button', { name: 'Send a test message' }).click();
    await expect(page.locator('.webhook-test').textContent()).resolves.toContain('HTTP 200');
    expect(receiver.received).toHaveLength(1);
    await check(page, 'settings-webhook-test');
  });

  it('shows HR the settings without a way to change them', async () => {
    const page = await signedIn(org.hr.email);
    await page.goto(`${base}/app/organisations/${org.orgId}/settings`);
    expect(await page.getByRole('button', { name: /Save/ }).count()).toBe(0);
    expect(await page.getByLabel('Minimum group size (k)').getAttribute('readonly')).not.toBeNull();
    await check(page, 'settings-hr');
  });

  it('creates an API token, shows its secret once, and revokes it after asking', async () => {
    const page = await signedIn(org.admin.email);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API tokens' })
      .click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/tokens`);
    await check(page, 'tokens-empty');

    await page.getByLabel('Name').fill('Power BI refresh');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Token created: Power BI refresh' }).waitFor();
    const secret = (await page.locator('#secret').textContent()) ?? '';
    expect(secret).toMatch(/^trl_t_[A-Za-z0-9_-]{43}$/);
    await check(page, 'token-created');
    expect(
      (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);

    await page.getByRole('link', { name: 'Done: back to API tokens' }).click();
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('row', { name: /Power BI refresh/ });
    expect(await row.textContent()).not.toContain('never');
    await check(page, 'tokens-list');

    await page.getByRole('link', { name: 'Revoke Power BI refresh' }).click();
    await page.getByRole('heading', { name: 'Revoke “Power BI refresh”?' }).waitFor();
    await check(page, 'token-revoke-confirm');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.waitForURL(/\?revoked=/);
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Revoked “Power BI refresh”',
    );
    expect(await row.textContent()).toContain('Revoked');
    expect(
      (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(401);
    await check(page, 'tokens-revoked');
  });
});
