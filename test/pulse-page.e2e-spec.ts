/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AnswerSealer, type PulseForm } from '@trellis/surveys';
import { submissionFromForm } from '../apps/api/src/surveys/pulse-page.controller';
import { closesText } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { addMembers } from './support/links';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

const AGREEMENT = [
  'Strongly disagree',
  'Disagree',
  'Neither agree nor disagree',
  'Agree',
  'Strongly agree',
];
const ANSWER_TABLES = ['response_pool', 'response', 'comment', 'participation'];

describe('the answering page behind a personal link, on a phone', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  let org: OrgFixture;
  let roundId: string;
  let browser: Browser;
  let base: string;
  /** The member's link answered in the first test, reused to check a used link. */
  let usedToken: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url });
    org = await createOrg(t.app, 'pulse-page');
    // Two more members of Platform, for the page at desktop width.
    await addMembers(t.app, org.orgId, org.teamId, 2, 'wide');
    // Two who skip statements.
    await addMembers(t.app, org.orgId, org.teamId, 2, 'skip');
    ({ roundId } = await openRoundNow(t.app, org));
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  });
  afterEach(() => {
    // The one page CSP holds: nothing the page loads or runs is refused, and no script fails.
    const problems = consoleProblems.splice(0);
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await mailbox?.close();
  });

  /** Console errors (a CSP refusal is one) and uncaught script errors of every page opened. */
  const consoleProblems: string[] = [];

  /** A phone-sized page (or another size), with its real CSP: axe runs through DevTools. */
  async function phone(
    options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
  ) {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      ...options,
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      // The page's own status (a 400 with problems, a 410) is logged too; that is not a problem.
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource'))
        consoleProblems.push(text);
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/assets/') && response.status() !== 200)
        consoleProblems.push(`${url.pathname}: ${response.status()}`);
    });
    page.on('pageerror', (error) => consoleProblems.push(String(error)));
    return page;
  }

  /** The person's link for one audience, and what the JSON API says it asks. */
  async function linkFor(
    email: string,
    audience: PulseForm['audience'],
  ): Promise<{ token: string; form: PulseForm }> {
    for (const link of mailbox.linksFor(email)) {
      const token = tokenOf(link);
      const res = await t.http.get(`/pulse/${token}`);
      const form = res.body as PulseForm;
      if (res.status === 200 && form.audience === audience) return { token, form };
    }
    throw new Error(`no open ${audience} link was mailed to ${email}`);
  }

  const progress = (page: Page) => page.locator('#progress').innerText();

  /**
   * The progress text as Chromium's accessibility tree (what a screen reader reads) has it: unlike
   * innerText or Playwright's aria snapshot, it includes the CSS counter the page uses without script.
   */
  async function spokenProgress(page: Page): Promise<string> {
    const cdp = await page.context().newCDPSession(page);
    try {
      type AXNode = {
        nodeId: string;
        role?: { value?: string };
        name?: { value?: string };
        childIds?: string[];
      };
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
      const byId = new Map(nodes.map((n) => [n.nodeId, n]));
      const texts: string[] = [];
      const walk = (node: AXNode | undefined): void => {
        if (!node) return;
        if (node.role?.value === 'StaticText') texts.push(node.name?.value ?? '');
        for (const id of node.childIds ?? []) walk(byId.get(id));
      };
      walk(nodes.find((n) => n.role?.value === 'status'));
      return texts.join('').replace(/\s+/g, ' ').trim();
    } finally {
      await cdp.detach();
    }
  }
  const chosen = (index: number, form: PulseForm) => form.scale.min + (index % 5);

  async function answer(page: Page, form: PulseForm, skip?: number): Promise<void> {
    for (let i = 0; i < form.items.length; i++) {
      if (i === skip) continue;
      await page
        .locator(`#q-${i + 1} label.opt`)
        .nth(chosen(i, form) - form.scale.min)
        .click();
    }
  }

  /** Sends the form and waits for the page it answers with; returns its HTTP status. */
  async function submit(page: Page, send?: () => Promise<void>): Promise<number> {
    const [response] = await Promise.all([
      page.waitForNavigation(),
      send ? send() : page.getByRole('button', { name: 'Send answers' }).click(),
    ]);
    expect(response?.request().method()).toBe('POST');
    return response?.status() ?? 0;
  }

  async function rowsOf(table: string): Promise<string[]> {
    const { rows } = await t.db.query<{ row: string }>(
      `select row_to_json(x)::text as row from ${table} x`,
    );
    return rows.map((r) => r.row);
  }

  /** Whether a person's invitation answered: only the application's key turns it into its mark. */
  async function answered(personId: string, kind: PulseForm['audience']): Promise<boolean> {
    const { rows } = await t.db.query<{ id: string }>(
      `select id from invitation where round_id = $1 and person_id = $2 and kind = $3`,
      [roundId, personId, kind],
    );
    expect(rows).toHaveLength(1);
    const mark = t.app.get(AnswerSealer).mark(rows[0].id);
    return (
      ((await t.db.query(`select 1 from participation where mark = $1`, [mark])).rowCount ?? 0) > 0
    );
  }

  async function personId(email: string): Promise<string | undefined> {
    const { rows } = await t.db.query<{ id: string }>(`select id from person where email = $1`, [
      email,
    ]);
    return rows[0]?.id;
  }

  /** The pool as the mixer sees it: sealed at rest, opened here with the application's key. */
  async function pooled(): Promise<{ answers: Record<string, number>; comment: string | null }[]> {
    const { rows } = await t.db.query<{ unit_id: string; sealed: Buffer }>(
      `select unit_id, sealed from response_pool where round_id = $1`,
      [roundId],
    );
    return rows.map((r) => t.app.get(AnswerSealer).openPool(roundId, r.unit_id, r.sealed));
  }

  /** Scrolled to the end first, so the sticky send bar sits in its place instead of over a statement. */
  async function fullPageShot(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  }

  async function expectFitsPhone(page: Page): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    const heights = await page
      .locator('label.opt, button')
      .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);
  }

  it('lets a member answer every statement, comment, and stores nothing that points to them', async () => {
    const { token, form } = await linkFor(org.member.email, 'member');
    usedToken = token;
    const n = form.items.length;
    expect(n).toBeGreaterThan(5);
    const page = await phone();
    const response = await page.goto(`${base}/r/${token}`);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['set-cookie']).toBeUndefined();
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-robots-tag']).toBe('noindex');
    // The one page policy: scripts and styles only from this server, no inline code at all.
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = (await response?.text()) ?? '';
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)|<style|\sstyle=/);
    expect(html).toMatch(/<script src="\/assets\/pulse\.js\?v=[0-9a-f]{12}" defer>/);
    expect(await page.locator('meta[name="robots"]').getAttribute('content')).toBe(
      'noindex, nofollow',
    );
    expect(await page.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer');
    // Anonymous: no navigation, no link into the console, no sign-out form.
    expect(await page.locator('nav, header a, header form').count()).toBe(0);
    expect(await page.locator('header').innerText()).toContain(`Org pulse-page`);
    expect(await page.title()).toBe('Platform pulse · Trellis');

    expect(await page.locator('fieldset legend').allTextContents()).toEqual(
      form.items.map((i) => i.text),
    );
    for (let i = 0; i < n; i++) {
      const group = page.getByRole('group', { name: form.items[i].text });
      // The five answers, and "Prefer not to answer".
      expect(await group.getByRole('radio').count()).toBe(6);
      expect(await group.getByRole('radio', { name: 'Prefer not to answer' }).count()).toBe(1);
    }
    expect(await page.locator('#q-1 .opts:not(.prefer-not) label.opt').allInnerTexts()).toEqual(
      AGREEMENT,
    );
    expect(await page.locator('#q-1 .opts.prefer-not label.opt').allInnerTexts()).toEqual([
      'Prefer not to answer',
    ]);
    expect(await page.locator('main > p.meta').innerText()).toMatch(
      /open until \w+day \d{1,2} \w+ at \d{2}:\d{2} UTC$/,
    );
    const privacy = await page.locator('.privacy').innerText();
    expect(privacy).toContain('Your answers are anonymous');
    expect(privacy).toContain('Nobody — not your leader, not HR — sees your individual answers');
    expect(privacy).toContain(
      'only after the round closes, and only if at least 5 people answered',
    );
    expect(privacy).toContain(
      'without any of your scores, and only when at least 10 people commented',
    );
    expect(await page.getByLabel(/Anything you want to add/).getAttribute('maxlength')).toBe(
      '2000',
    );

    expect(await progress(page)).toBe(`0 of ${n} answered`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await expectFitsPhone(page);

    await answer(page, form, n - 1);
    expect(await progress(page)).toBe(`${n - 1} of ${n} answered`);
    expect(await spokenProgress(page)).toBe(`${n - 1} of ${n} answered`);
    await answer(page, form);
    expect(await progress(page)).toBe(`${n} of ${n} answered`);
    await page.getByLabel(/Anything you want to add/).fill('Stand-ups run long.');
    await fullPageShot(page, 'pulse-form.png');

    expect(await submit(page)).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    expect(await page.title()).toContain('Platform');
    const thanks = await page.locator('main').innerText();
    expect(thanks).toContain('Your answers for Platform have been received');
    expect(thanks).toContain('Nobody — not your leader, not HR — sees your individual answers');
    expect(thanks).toContain('You can close this page');
    expect(await accessibilityViolations(page)).toEqual([]);
    await expectFitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'pulse-thanks.png'), fullPage: true });
    expect(await page.context().cookies()).toEqual([]);

    expect(await answered(org.member.id, 'member')).toBe(true);
    expect(await pooled()).toEqual([
      {
        answers: Object.fromEntries(form.items.map((item, i) => [item.key, chosen(i, form)])),
        comment: 'Stand-ups run long.',
        // The keyed hash of the conversation link the thank-you page showed (conversations.e2e-spec.ts).
        conversation: expect.any(String),
      },
    ]);
    // Nothing stored with the answers names the person, in any column, under any name.
    for (const table of ANSWER_TABLES) {
      for (const row of await rowsOf(table)) expect(row).not.toContain(org.member.id);
    }
    const { rows: columns } = await t.db.query(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and table_name = any($1) and column_name like '%person%'`,
      [ANSWER_TABLES],
    );
    expect(columns).toEqual([]);
    const { rows: references } = await t.db.query(
      `select conrelid::regclass::text as "table" from pg_constraint
        where contype = 'f' and confrelid in ('person'::regclass, 'invitation'::regclass, 'invitation_token'::regclass)
          and conrelid::regclass::text = any($1)`,
      [ANSWER_TABLES],
    );
    expect(references).toEqual([]);
  });

  it('can be answered with the keyboard alone: Tab between statements, arrows within one', async () => {
    const { token, form } = await linkFor(org.otherMember.email, 'member');
    const n = form.items.length;
    // No CSP bypass here: the page's own script must run under its policy.
    const page = await phone();
    await page.goto(`${base}/r/${token}`);
    expect(await page.title()).toBe('Sales pulse · Trellis');
    expect(await progress(page)).toBe(`0 of ${n} answered`);

    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return { name: el?.name ?? '', value: el?.value ?? '', checked: !!el?.checked };
      });
    const expected: Record<string, number> = {};
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to the statements',
    );
    for (let i = 0; i < n; i++) {
      const key = form.items[i].key;
      await page.keyboard.press('Tab');
      expect(await focused()).toEqual({
        name: `answers[${key}]`,
        value: String(form.scale.min),
        checked: false,
      });
      if (i % 3 === 0) {
        await page.keyboard.press('Space');
      } else {
        // Down twice, up once: the arrows move and choose within this statement only.
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
      }
      const now = await focused();
      expect(now.name).toBe(`answers[${key}]`);
      expect(now.checked).toBe(true);
      expected[key] = Number(now.value);
      if (i === 0) expect(await progress(page)).toBe(`1 of ${n} answered`);
    }
    expect(Object.values(expected)).toContain(form.scale.min + 1);
    expect(await progress(page)).toBe(`${n} of ${n} answered`);

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('comment');
    await page.keyboard.type('More time for the roadmap, please.');
    await page.keyboard.press('Tab');
    // The folded comments on a theme, then the button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Comment on a theme (optional)',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send answers');
    expect(await submit(page, () => page.keyboard.press('Enter'))).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');

    expect(await answered(org.otherMember.id, 'member')).toBe(true);
    expect(await pooled()).toContainEqual({
      answers: expected,
      comment: 'More time for the roadmap, please.',
      conversation: expect.any(String),
    });
  });

  it('points to a missing answer, keeps the others, and takes the corrected form', async () => {
    const { token, form } = await linkFor(org.otherLeader.email, 'member');
    const n = form.items.length;
    const missing = 2;
    const page = await phone();
    await page.goto(`${base}/r/${token}`);
    await answer(page, form, missing);
    const comment = '\nFewer <b>meetings</b> & more focus';
    await page.getByLabel(/Anything you want to add/).fill(comment);
    expect(await progress(page)).toBe(`${n - 1} of ${n} answered`);

    expect(await submit(page)).toBe(400);
    expect(await page.title()).toBe('Error: Platform pulse · Trellis');
    const alert = page.getByRole('alert');
    expect(await alert.locator('h2').innerText()).toBe('Please answer 1 more statement');
    const links = alert.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.first().innerText()).toContain(form.items[missing].text);
    expect(await links.first().getAttribute('href')).toBe(`#q-${missing + 1}`);
    // The summary takes focus, so keyboard and screen-reader users start there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');

    const group = page.getByRole('group', { name: form.items[missing].text });
    expect(await group.getAttribute('aria-describedby')).toBe(`q-${missing + 1}-error`);
    expect(await page.locator(`#q-${missing + 1}-error`).innerText()).toContain(
      'Choose an answer for this statement.',
    );
    for (let i = 0; i < n; i++) {
      const checked = page.locator(`#q-${i + 1} input:checked`);
      if (i === missing) expect(await checked.count()).toBe(0);
      else expect(await checked.getAttribute('value')).toBe(String(chosen(i, form)));
    }
    expect(await page.getByLabel(/Anything you want to add/).inputValue()).toBe(comment);
    expect(await progress(page)).toBe(`${n - 1} of ${n} answered`);
    expect(await answered(org.otherLeader.id, 'member')).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
    await expectFitsPhone(page);
    await fullPageShot(page, 'pulse-error.png');

    await links.first().click();
    expect(new URL(page.url()).hash).toBe(`#q-${missing + 1}`);
    await group.getByRole('radio', { name: AGREEMENT[3], exact: true }).check();
    expect(await progress(page)).toBe(`${n} of ${n} answered`);
    expect(await submit(page)).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    expect(await answered(org.otherLeader.id, 'member')).toBe(true);
    expect((await pooled()).filter((p) => p.comment === comment.trim())).toHaveLength(1);
  });

  it('lets a person skip statements with “Prefer not to answer”, without JavaScript too', async () => {
    const { token, form } = await linkFor('skip-0@skip.test', 'member');
    const n = form.items.length;
    const skipped = [0, 2];
    const page = await phone({ javaScriptEnabled: false });
    await page.goto(`${base}/r/${token}`);
    expect(await page.locator('.privacy').innerText()).toContain(
      'You may skip any statement (“Prefer not to answer”)',
    );
    for (const i of skipped) {
      await page
        .getByRole('group', { name: form.items[i].text })
        .getByText('Prefer not to answer')
        .click();
    }
    for (let i = 0; i < n; i++) {
      if (skipped.includes(i)) continue;
      await page
        .locator(`#q-${i + 1} label.opt`)
        .nth(chosen(i, form) - form.scale.min)
        .click();
    }
    // A skip is a choice made: the statement counts as done.
    expect(await spokenProgress(page)).toBe(`${n} of ${n} answered`);
    for (const i of skipped) {
      expect(
        await page
          .getByRole('group', { name: form.items[i].text })
          .getByRole('radio', { name: 'Prefer not to answer' })
          .isChecked(),
      ).toBe(true);
    }
    // (axe needs script; the page with script is checked with skips in the next test.)
    await expectFitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'pulse-skip.png'), fullPage: true });
    await page.locator('#q-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'pulse-skip-375.png') });

    expect(await submit(page)).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    // Stored without the skipped statements: absent, not a value.
    expect(await pooled()).toContainEqual({
      answers: Object.fromEntries(
        form.items.flatMap((item, i) => (skipped.includes(i) ? [] : [[item.key, chosen(i, form)]])),
      ),
      comment: null,
    });
  });

  it('refuses a form that skips every statement, saying so, and keeps the choices', async () => {
    const { token, form } = await linkFor('skip-1@skip.test', 'member');
    const page = await phone();
    await page.goto(`${base}/r/${token}`);
    for (const item of form.items) {
      await page.getByRole('group', { name: item.text }).getByText('Prefer not to answer').click();
    }
    expect(await submit(page)).toBe(400);
    const alert = page.getByRole('alert');
    expect(await alert.locator('h2').innerText()).toBe('There is a problem with your answers');
    expect(await alert.innerText()).toContain(
      'You chose “Prefer not to answer” for every statement',
    );
    expect(await page.locator('.opts.prefer-not input:checked').count()).toBe(form.items.length);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'pulse-skip-all.png') });
    expect(await answered((await personId('skip-1@skip.test'))!, 'member')).toBe(false);
  });

  it('says when the round closes in the campaign’s time zone, naming it', () => {
    const at = new Date('2026-12-07T16:00:00Z');
    expect(closesText(at, 'Europe/Berlin')).toBe('Monday 7 December at 17:00 (Europe/Berlin time)');
    expect(closesText(at, 'America/New_York')).toBe(
      'Monday 7 December at 11:00 (America/New York time)',
    );
    expect(closesText(at, 'UTC')).toBe('Monday 7 December at 16:00 UTC');
    expect(closesText(at, 'Mars/Olympus')).toBe('Monday 7 December at 16:00 UTC');
  });

  it('stays anonymous for a person who is signed in: no navigation, no name, no cookie', async () => {
    const { token } = await linkFor(org.leader.email, 'leader_self');
    const session = await signIn(t.http, org.leader.email);
    const res = await t.http
      .get(`/r/${token}`)
      .set('cookie', `trellis_session=${session}`)
      .expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('Your view of Platform');
    expect(res.text).not.toContain('Sign out');
    expect(res.text).not.toContain('<nav');
    expect(res.text).not.toContain('href="/app');
    expect(res.text).not.toContain('name="_csrf"');
    // The leader's name is never on the page that collects their answers.
    const { rows } = await t.db.query<{ name: string }>(`select name from person where id = $1`, [
      org.leader.id,
    ]);
    expect(res.text).not.toContain(`>${rows[0].name}<`);
  });

  it('explains a used link with 409', async () => {
    const page = await phone();
    const response = await page.goto(`${base}/r/${usedToken}`);
    expect(response?.status()).toBe(409);
    expect(await page.locator('h1').innerText()).toBe('You have already answered');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('header a, nav').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.context().cookies()).toEqual([]);

    const again = await t.http
      .post(`/r/${usedToken}`)
      .type('form')
      .send({ 'answers[x]': '1' })
      .expect(409);
    expect(again.text).toContain('You have already answered');
  });

  it('shows the leader their self-view, with no comment box, and works without JavaScript', async () => {
    const { token, form } = await linkFor(org.leader.email, 'leader_self');
    const n = form.items.length;
    expect(form.allowsComment).toBe(false);
    const page = await phone({ javaScriptEnabled: false });
    await page.goto(`${base}/r/${token}`);
    expect(await page.title()).toBe('Platform pulse · Trellis');
    expect(await page.locator('h1').innerText()).toBe('Your view of Platform');
    expect(await page.locator('fieldset legend').allTextContents()).toEqual(
      form.items.map((i) => i.text),
    );
    const privacy = await page.locator('.privacy').innerText();
    expect(privacy).toContain('This is your own view of Platform');
    expect(privacy).toContain('shown next to your team’s results, never mixed into them');
    expect(privacy).not.toContain('anonymous');
    expect(await page.locator('textarea').count()).toBe(0);
    expect(await page.content()).not.toContain('Comments are shown');

    // Without script, a CSS counter over the checked radios keeps the count (in the accessibility tree too).
    expect(await spokenProgress(page)).toBe(`0 of ${n} answered`);
    await page.locator('#q-1 label.opt').first().click();
    expect(await spokenProgress(page)).toBe(`1 of ${n} answered`);

    // Sent too early, still without script: the problems come back, and the summary has focus.
    expect(await submit(page)).toBe(400);
    expect(await page.getByRole('alert').locator('h2').innerText()).toBe(
      `Please answer ${n - 1} more statements`,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await page.locator('#q-1 input:checked').count()).toBe(1);
    expect(await spokenProgress(page)).toBe(`1 of ${n} answered`);

    await answer(page, form);
    expect(await spokenProgress(page)).toBe(`${n} of ${n} answered`);
    expect(await submit(page)).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    expect(await page.locator('main').innerText()).toContain(
      'Your view of Platform has been saved',
    );
    expect(await answered(org.leader.id, 'leader_self')).toBe(true);
    const { rows } = await t.db.query<{ unit_id: string; sealed: Buffer }>(
      `select unit_id, sealed from response where round_id = $1 and kind = 'leader_self'`,
      [roundId],
    );
    expect(rows).toHaveLength(1);
    const own = t.app
      .get(AnswerSealer)
      .openAnswers(roundId, rows[0].unit_id, 'leader_self', rows[0].sealed);
    expect(Object.keys(own)).toHaveLength(n);
    for (const table of ANSWER_TABLES) {
      for (const row of await rowsOf(table)) expect(row).not.toContain(org.leader.id);
    }
  });

  it('passes odd form values to validation and renders them back safely', async () => {
    const { token, form } = await linkFor(org.otherLeader.email, 'leader_self');
    const [first, second] = form.items.map((i) => i.key);
    const res = await t.http
      .post(`/r/${token}`)
      .type('form')
      .send(
        `answers[${first}]=4.0&answers[${second}]=9&answers[__proto__]=1&nickname=x` +
          `&comment=${encodeURIComponent('<script>alert(1)</script>')}`,
      )
      .expect(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('not one of the options');
    expect(res.text).toContain('nickname is not allowed');
    expect(res.text).not.toMatch(/name="answers\[[^\]]+\]" value="9" checked/);

    // The service checks a self-view's comment once the answers are valid.
    const valid = form.items.map((i) => `answers[${i.key}]=${form.scale.max}`).join('&');
    const commented = await t.http
      .post(`/r/${token}`)
      .type('form')
      .send(`${valid}&comment=hello`)
      .expect(400);
    expect(commented.text).toContain('This form takes no comment');
    expect(commented.text).not.toContain('href="#comment"');
    expect(commented.text.match(/ checked[ />]/g)).toHaveLength(form.items.length);

    // PostgreSQL cannot store NUL: a problem to show, not a failure.
    await t.http.post(`/r/${token}`).type('form').send(`${valid}&comment=a%00b`).expect(400);

    const json = await t.http
      .post(`/r/${token}`)
      .send({ answers: { [first]: 4 } })
      .expect(415);
    expect(json.text).toContain('could not be read');
    expect(await answered(org.otherLeader.id, 'leader_self')).toBe(false);
  });

  it('reads well at desktop width: form, problems and thanks pass axe at 1280 px', async () => {
    const { token, form } = await linkFor('wide-0@wide.test', 'member');
    const n = form.items.length;
    const page = await phone({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/r/${token}`);
    expect(await accessibilityViolations(page)).toEqual([]);
    // Five worded options sit in one row on a wide screen, each still a 48 px target ("Prefer
    // not to answer" is no point of the scale, and sits apart below them).
    const boxes = await page
      .locator('#q-1 .opts.row label.opt')
      .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()));
    expect(boxes).toHaveLength(5);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
    expect(Math.min(...boxes.map((b) => b.height))).toBeGreaterThanOrEqual(48);
    await fullPageShot(page, 'pulse-form-1280.png');

    // With script, the bar follows the count.
    await answer(page, form, 0);
    expect(await progress(page)).toBe(`${n - 1} of ${n} answered`);
    expect(await page.locator('.bar').isVisible()).toBe(true);
    expect(await page.locator('#progress-fill').evaluate((el) => el.style.width)).toBe(
      `${Math.round(((n - 1) / n) * 100)}%`,
    );
    const second = page.locator('#q-2 input:checked');
    await second.evaluate((el: HTMLInputElement) => {
      el.checked = false;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(await progress(page)).toBe(`${n - 2} of ${n} answered`);

    expect(await submit(page)).toBe(400);
    expect(await page.getByRole('alert').locator('h2').innerText()).toBe(
      'Please answer 2 more statements',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    for (const id of ['q-1', 'q-2']) {
      expect(await page.locator(`#${id}`).getAttribute('aria-describedby')).toBe(`${id}-error`);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    await fullPageShot(page, 'pulse-error-1280.png');

    await page.locator('#q-1 label.opt').nth(1).click();
    await page.locator('#q-2 label.opt').nth(3).click();
    expect(await progress(page)).toBe(`${n} of ${n} answered`);
    expect(await submit(page)).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    expect(await page.locator('header').innerText()).toContain('Org pulse-page');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'pulse-thanks-1280.png'), fullPage: true });
  });

  it('sends a second tap of the button nowhere: one submission, one thank-you', async () => {
    const { token, form } = await linkFor('wide-1@wide.test', 'member');
    const page = await phone();
    await page.goto(`${base}/r/${token}`);
    await answer(page, form);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    // Two submits in a row: the page's script lets the first go and stops the second.
    let prevented: boolean[] = [];
    expect(
      await submit(page, async () => {
        prevented = await page.evaluate(() => {
          const form = document.getElementById('pulse-form') as HTMLFormElement;
          const seen: boolean[] = [];
          form.addEventListener('submit', (event) => seen.push(event.defaultPrevented));
          form.requestSubmit();
          form.requestSubmit();
          return seen;
        });
      }),
    ).toBe(200);
    expect(prevented).toEqual([false, true]);
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    expect(posts).toHaveLength(1);
  });

  it('explains an unknown link with 404 and a closed round with 410', async () => {
    const unknown = await t.http.get(`/r/p_${'x'.repeat(43)}`).expect(404);
    expect(unknown.text).toContain('This link is not valid');
    await t.http.get('/r/nonsense').expect(404);

    const { token } = await linkFor(org.otherLeader.email, 'leader_self');
    await t.db.query(`update round set closes_at = now() - interval '1 minute' where id = $1`, [
      roundId,
    ]);
    const page = await phone();
    const response = await page.goto(`${base}/r/${token}`);
    expect(response?.status()).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('This round has closed');
    const post = await t.http
      .post(`/r/${token}`)
      .type('form')
      .send({ 'answers[x]': '1' })
      .expect(410);
    expect(post.text).toContain('This round has closed');
  });
});

describe('reading the urlencoded answering form', () => {
  it('parses plain integers strictly and passes everything else through for validation to name', () => {
    const form = Object.assign(Object.create(null) as Record<string, unknown>, {
      'answers[a]': '4',
      'answers[b]': '-1',
      'answers[c]': '04',
      'answers[d]': '4.0',
      'answers[e]': ' 4',
      'answers[f]': '',
      'answers[g]': ['1', '2'],
      'answers[__proto__]': '3',
      'answers[x.y]': '2',
      answers: '5',
      comment: 'hi',
      extra: 'x',
    });
    const submission = submissionFromForm(form);
    expect({ ...submission.answers }).toEqual({
      a: 4,
      b: -1,
      c: '04',
      d: '4.0',
      e: ' 4',
      f: '',
      g: ['1', '2'],
      ['__proto__']: 3,
      'x.y': 2,
    });
    expect(Object.getPrototypeOf(submission.answers)).toBeNull();
    expect(submission.comment).toBe('hi');
    expect(submission.extra).toBe('x');
    expect(submissionFromForm(undefined)).toEqual(
      Object.assign(Object.create(null), { answers: {} }),
    );
  });
});

describe('the answering page when too many requests come from one address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with a page of its own, not JSON', async () => {
    const path = `/r/p_${'y'.repeat(43)}`;
    await t.http.get(path).expect(404);
    await t.http.get(path).expect(404);
    const refused = await t.http.get(path).expect(429);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(refused.text).toContain('Too many requests just now');
    expect(refused.text).not.toContain('href="/app');
  });
});
