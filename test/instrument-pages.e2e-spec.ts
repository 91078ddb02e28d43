/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { InstrumentsService } from '@trellis/surveys';
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

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** A questionnaire of HR's own: two dimensions, a reverse-keyed statement, a worded 1..5 scale. */
const OWN = {
  key: 'meetings',
  name: 'Meeting health',
  description: 'Whether meetings help the team.',
  scale: { min: 1, max: 5, labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] },
  dimensions: [
    { key: 'focus', name: 'Focus', description: 'Meetings have a purpose.' },
    // A scale of its own beside the instrument's 1..5.
    {
      key: 'voice',
      name: 'Voice',
      description: 'Everyone can speak.',
      scale: { min: 0, max: 2, labels: ['No', 'Partly', 'Yes'] },
    },
  ],
  items: [
    { key: 'f1', dimension: 'focus', text: 'Our meetings end with a decision.', reverse: false },
    { key: 'f2', dimension: 'focus', text: 'Our meetings wander.', reverse: true, source: 'Own' },
    { key: 'v1', dimension: 'voice', text: 'I can disagree in a meeting.', reverse: false },
  ],
};

/**
 * The questionnaire pages over InstrumentsService: HR reads the built-in pulse (dimensions,
 * statements, reverse keys, sources), previews and adds its own questionnaire through the form,
 * and edits it; a version a round used is read-only and editing makes the next version.
 */
describe('questionnaire pages', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;
  let leader: string;
  let instrumentId: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'instrument-pages');
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
  }, 60_000);
  afterAll(() => t?.close());

  const cookie = (token: string) => `trellis_session=${token}`;
  const get = (token: string, path: string) => t.http.get(path).set('cookie', cookie(token));
  async function post(token: string, path: string, form: Record<string, string>) {
    const csrf = csrfOf((await get(token, '/app')).text);
    return t.http
      .post(path)
      .set('cookie', cookie(token))
      .type('form')
      .send({ _csrf: csrf, ...form });
  }

  it('lists the built-in pulse and shows its dimensions, statements, keys and sources', async () => {
    const list = await get(hr, `/app/organisations/${org.orgId}/instruments`);
    expect(list.status).toBe(200);
    const builtIn = await t.app.get(InstrumentsService).builtInId();
    expect(list.text).toContain(`href="/app/instruments/${builtIn}"`);
    const page = await get(hr, `/app/instruments/${builtIn}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    const def = (await t.app.get(InstrumentsService).get(builtIn)).versions[0].definition;
    for (const d of def.dimensions) expect(text).toContain(d.name);
    const reversed = def.items.find((i) => i.reverse)!;
    const sourced = def.items.find((i) => i.source)!;
    expect(text).toContain(`${reversed.key} ${reversed.text}`);
    expect(text).toMatch(new RegExp(`${reversed.key} .*? Reverse`));
    expect(text).toContain(sourced.source);
    expect(text).toContain('Built in');
    expect(page.text).not.toContain('/edit"');
  });

  it('previews a definition without saving, and names problems for people', async () => {
    const preview = await post(hr, `/app/organisations/${org.orgId}/instruments`, {
      definition: JSON.stringify(OWN),
      intent: 'preview',
    });
    expect(preview.status).toBe(200);
    const text = textOf(preview.text);
    expect(text).toContain('3 statements, answered 1 to 5; Voice 0 to 2.');
    expect(text).toContain('Our meetings wander.');
    expect(preview.text.match(/name="preview-f1"/g)).toHaveLength(5);
    expect(text).toContain('Sometimes');
    // The Voice statement offers its dimension's own three options, from 0.
    expect([...preview.text.matchAll(/name="preview-v1" value="(\d+)"/g)].map((m) => m[1])).toEqual(
      ['0', '1', '2'],
    );
    expect(text).toMatch(/I can disagree in a meeting\. No Partly Yes/);

    const badJson = await post(hr, `/app/organisations/${org.orgId}/instruments`, {
      definition: '{"key": "x",',
      intent: 'save',
    });
    expect(badJson.status).toBe(400);
    expect(textOf(badJson.text)).toContain('The definition is not valid JSON');
    expect(badJson.text).toContain('{&quot;key&quot;: &quot;x&quot;,');

    const bad = await post(hr, `/app/organisations/${org.orgId}/instruments`, {
      definition: JSON.stringify({
        ...OWN,
        items: [...OWN.items, { key: 'v2', dimension: 'nowhere', text: 'x', reverse: false }],
      }),
      intent: 'save',
    });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toMatch(/Statement 4, dimension: /);
    expect(bad.text).toContain('href="#definition"');
    const { rows } = await t.db.query(`select 1 from instrument where organisation_id = $1`, [
      org.orgId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('adds a questionnaire, audited, and edits it in place while no round used it', async () => {
    const res = await post(hr, `/app/organisations/${org.orgId}/instruments`, {
      definition: JSON.stringify(OWN),
      intent: 'save',
    });
    expect(res.status).toBe(303);
    instrumentId = /\/app\/instruments\/([0-9a-f-]{36})\?done=created$/.exec(
      String(res.headers.location),
    )![1];
    const page = textOf((await get(hr, String(res.headers.location))).text);
    expect(page).toContain('The questionnaire is added');
    expect(page).toContain('Not used by a round yet');
    expect(page).toContain('f2 Our meetings wander. Reverse Own');
    expect(page).toContain('Its own scale: 0 to 2 (0 No, 1 Partly, 2 Yes)');

    const edited = await post(hr, `/app/instruments/${instrumentId}`, {
      definition: JSON.stringify({ ...OWN, name: 'Meetings' }),
      intent: 'save',
    });
    expect(edited.status).toBe(303);
    expect(String(edited.headers.location)).toBe(`/app/instruments/${instrumentId}?done=saved`);
    const versions = await t.db.query(
      `select version from instrument_version where instrument_id = $1`,
      [instrumentId],
    );
    expect(versions.rows).toEqual([{ version: 1 }]);
    const audit = await t.db.query<{ action: string }>(
      `select action from audit_event where target_id = $1 order by id`,
      [instrumentId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['instrument.create', 'instrument.update']);
  });

  it('keeps a version a round used read-only: editing makes the next version', async () => {
    const db = t.app.get(DataSource);
    await db.transaction((tx) => t.app.get(InstrumentsService).versionForRound(tx, instrumentId));
    const page = textOf((await get(hr, `/app/instruments/${instrumentId}`)).text);
    expect(page).toContain('Used by a round: read-only');
    const form = textOf((await get(hr, `/app/instruments/${instrumentId}/edit`)).text);
    expect(form).toContain(
      'Version 1 has been used by a round, so it stays as it is: saving makes version 2.',
    );

    const edited = await post(hr, `/app/instruments/${instrumentId}`, {
      definition: JSON.stringify({ ...OWN, name: 'Meetings', description: 'Reworded.' }),
      intent: 'save',
    });
    expect(edited.status).toBe(303);
    expect(String(edited.headers.location)).toBe(`/app/instruments/${instrumentId}?done=versioned`);
    const versions = await t.db.query<{ version: number; description: string }>(
      `select version, definition->>'description' as description from instrument_version
        where instrument_id = $1 order by version`,
      [instrumentId],
    );
    expect(versions.rows).toEqual([
      { version: 1, description: 'Whether meetings help the team.' },
      { version: 2, description: 'Reworded.' },
    ]);
    const first = textOf((await get(hr, `/app/instruments/${instrumentId}?version=1`)).text);
    expect(first).toContain('An earlier version: read-only.');
    expect(first).toContain('Whether meetings help the team.');
  });

  it('refuses a leader the questionnaire pages', async () => {
    expect((await get(leader, `/app/organisations/${org.orgId}/instruments`)).status).toBe(403);
    expect((await get(leader, `/app/instruments/${instrumentId}`)).status).toBe(403);
    const res = await post(leader, `/app/instruments/${instrumentId}`, {
      definition: JSON.stringify(OWN),
      intent: 'save',
    });
    expect(res.status).toBe(403);
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

    async function open(width: number): Promise<Page> {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Email').fill(org.hr.email);
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

    it('shows the questionnaires, the built-in pulse, and a live preview as the definition is typed', async () => {
      for (const width of WIDTHS) {
        const page = await open(width);
        await page.getByRole('link', { name: 'Questionnaires' }).first().click();
        await check(page, 'instruments', width);
        await page.getByRole('link', { name: 'Autonomy–Alignment Pulse' }).click();
        await check(page, 'instrument-built-in', width);
        await page.goto(`${base}/app/organisations/${org.orgId}/instruments/new`);
        await page
          .getByLabel('Definition (JSON)')
          .fill(JSON.stringify({ ...OWN, scale: { min: 0, max: 4 } }, null, 2));
        // The script redraws the preview from the text: five unworded options from 0.
        await page.waitForFunction(() =>
          document.querySelector('#preview-status')?.textContent?.includes('answered 0 to 4'),
        );
        expect(await page.locator('input[name="preview-f1"]').count()).toBe(5);
        // Voice keeps its own 0..2 scale in the live preview too.
        expect(await page.locator('input[name="preview-v1"]').count()).toBe(3);
        expect(await page.locator('#preview-body').textContent()).toContain('0 (lowest)');
        await check(page, 'instrument-new', width);
        await page.context().close();
      }
    });
  });
});
