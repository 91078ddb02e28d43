/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

const HEADER = 'email,name,team_key,team_name,department,role';

/**
 * HR imports a roster through the page in headless Chromium: upload, see the problems, upload a
 * corrected file, check the preview, confirm; then finds the import in the audit log.
 */
describe('roster import and audit log pages in Chromium', () => {
  let t: TestApp;
  let org: OrgFixture;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000' });
    org = await createOrg(t.app, 'rosterpage');
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(org.hr.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** axe at phone and desktop width, a screenshot of each, and no sideways scrolling on the phone. */
  async function check(name: string): Promise<void> {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: width === 375 ? 740 : 900 });
      expect({ width, violations: await accessibilityViolations(page) }).toEqual({
        width,
        violations: [],
      });
      if (width === 375) {
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scroll).toBeLessThanOrEqual(375);
      }
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
  }

  const counts = async () =>
    (
      await t.db.query<{ people: number; memberships: number; units: number }>(
        `select (select count(*)::int from person where organisation_id = $1) as people,
                (select count(*)::int from membership where organisation_id = $1) as memberships,
                (select count(*)::int from unit where organisation_id = $1) as units`,
        [org.orgId],
      )
    ).rows[0];

  const csvFile = (lines: string[]) => ({
    name: 'roster.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([HEADER, ...lines].join('\n')),
  });

  const good = [
    'ada@rosterpage.test,Ada Lovelace,design,Design,Product / Design,leader',
    'grace@rosterpage.test,Grace Hopper,design,Design,Product / Design,member',
    'member@rosterpage.test,Member Renamed,platform,Platform,Engineering,member',
    'leader@rosterpage.test,leader,platform,Platform,Engineering,leader',
  ];

  it('shows a file’s problems by line and column, then previews the corrected file and imports it', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Roster import' })
      .click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/import`);
    expect(await page.locator('h1').textContent()).toBe('Import the roster');
    await check('roster-upload');

    const before = await counts();
    // Line 3: not an email; line 4: the same person and team as line 2.
    await page
      .getByLabel('Roster file (CSV)')
      .setInputFiles(
        csvFile([
          good[0],
          'grace-at-rosterpage.test,Grace Hopper,design,Design,Product / Design,member',
          good[0],
        ]),
      );
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/import/preview`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The file has 2 problems',
    );
    const problems = await page.locator('table.roster-problems tbody tr').allInnerTexts();
    const lineAndColumn = (row: string) => {
      const [line, column] = row.split('\t');
      return [line, column.split(' ')[0]];
    };
    expect(problems.map(lineAndColumn)).toEqual([
      ['3', 'email'],
      ['4', 'email'],
    ]);
    expect(problems[0]).toContain('is not an email address');
    expect(problems[1]).toContain('line 2');
    // No confirm button for a file with problems.
    expect(await page.getByRole('button', { name: 'Import these changes' }).count()).toBe(0);
    await check('roster-problems');
    expect(await counts()).toEqual(before);

    await page.getByLabel('Corrected file', { exact: true }).setInputFiles(csvFile(good));
    await page.getByRole('button', { name: 'Check the corrected file' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/import/preview`);
    expect(await page.locator('h1').textContent()).toBe('Check the import');
    const facts = await page.locator('ul.roster-counts li').allInnerTexts();
    expect(facts.map((f) => f.replace(/\s+/g, ' ').trim())).toEqual(
      expect.arrayContaining([
        '2 people added',
        '1 people renamed',
        '1 teams added',
        '1 teams changed',
        '2 memberships started',
        '1 memberships ended',
      ]),
    );
    await expect(
      page.getByRole('region', { name: 'People renamed', exact: true }).innerText(),
    ).resolves.toContain('Member Renamed');
    // The other leader, a member of Platform the file does not list, leaves it.
    await expect(
      page.getByRole('region', { name: 'Memberships ended', exact: true }).innerText(),
    ).resolves.toContain('other-leader@rosterpage.test');
    await check('roster-preview');
    expect(await counts()).toEqual(before);

    const confirmForm = {
      preview: await page.locator('input[name=preview]').inputValue(),
      _csrf: await page.locator('form:has(input[name=preview]) input[name=_csrf]').inputValue(),
    };
    await page.getByRole('button', { name: 'Import these changes' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/import`);
    expect(await page.locator('h1').textContent()).toBe('Roster imported');
    await check('roster-imported');
    const after = await counts();
    expect(after.people).toBe(before.people + 2);
    const design = await t.db.query(
      `select p.email, m.role from membership m join person p on p.id = m.person_id
         join unit u on u.id = m.unit_id where u.key = 'design' and u.organisation_id = $1 order by 1`,
      [org.orgId],
    );
    expect(design.rows).toEqual([
      { email: 'ada@rosterpage.test', role: 'leader' },
      { email: 'grace@rosterpage.test', role: 'member' },
    ]);

    // The same confirmation sent again (a resubmitted form): the kept file is gone, nothing twice.
    const again = await page.request.post(`${base}/app/organisations/${org.orgId}/import`, {
      form: confirmForm,
    });
    expect(again.status()).toBe(410);
    expect(await again.text()).toContain('This preview has expired');
    expect(await counts()).toEqual(after);
  });

  it('shows the new preview instead of importing when the roster changed after the preview', async () => {
    await page.goto(`${base}/app/organisations/${org.orgId}/import`);
    await page
      .getByLabel('Roster file (CSV)')
      .setInputFiles(
        csvFile(['linus@rosterpage.test,Linus,design,Design,Product / Design,member']),
      );
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/import/preview`);
    // Meanwhile someone renames the team the file names.
    await t.db.query(
      `update unit set name = 'Design Studio' where key = 'design' and organisation_id = $1`,
      [org.orgId],
    );
    const before = await counts();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Import these changes' }).click(),
    ]);
    expect(answer.status()).toBe(409);
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'The roster changed since your preview',
    );
    await expect(
      page.getByRole('region', { name: 'Teams and departments changed', exact: true }).innerText(),
    ).resolves.toContain('Design Studio');
    // A rename, not a move: the team stays where it is.
    expect(
      await page
        .getByRole('region', { name: 'Teams and departments changed', exact: true })
        .innerText(),
    ).not.toContain('another department');
    await check('roster-changed');
    expect(await counts()).toEqual(before);
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'trellis_session')!;
    const form = new FormData();
    form.set('file', new Blob([[HEADER, good[0]].join('\n')], { type: 'text/csv' }), 'roster.csv');
    const answer = await fetch(`${base}/app/organisations/${org.orgId}/import/preview`, {
      method: 'POST',
      headers: { cookie: `trellis_session=${session.value}` },
      body: form,
    });
    expect(answer.status).toBe(403);
  });

  it('lists the import in the audit log and filters it by kind and person', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/audit`);
    expect(await page.locator('h1').textContent()).toBe('Audit log');
    const rows = () => page.locator('table.audit-log tbody tr').allInnerTexts();
    expect(
      (await rows()).some((r) => r.includes('Imported the roster') && r.includes('4 rows')),
    ).toBe(true);
    await check('audit-log');

    await page.getByLabel('Kind').selectOption('roster');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=roster/);
    const roster = await rows();
    expect(roster.length).toBe(1);
    expect(roster[0]).toContain('hr');
    await page.getByLabel('Kind').selectOption('views');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=views/);
    // Reading the audit log is itself a view in it.
    expect((await rows()).every((r) => r.includes('audit.view'))).toBe(true);

    await page.goto(`${base}/app/organisations/${org.orgId}/audit?from=2026-02-30`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'must be a date that exists',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('is refused to a leader (403 page)', async () => {
    const context = await browser.newContext();
    const leaderPage = await context.newPage();
    await leaderPage.goto(`${base}/sign-in`);
    await leaderPage.getByLabel('Email').fill(org.leader.email);
    await leaderPage.getByLabel('Password').fill(PASSWORD);
    await leaderPage.getByRole('button', { name: 'Sign in' }).click();
    await leaderPage.waitForURL(`${base}/app`);
    for (const path of ['import', 'audit']) {
      const res = await leaderPage.goto(`${base}/app/organisations/${org.orgId}/${path}`);
      expect(res!.status()).toBe(403);
    }
    await context.close();
  });
});
