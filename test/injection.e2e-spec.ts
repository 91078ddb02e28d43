import { AnswerSealer } from '@trellis/surveys';
/// <reference lib="dom" />
import type { INestApplicationContext } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import { decodeHTML } from 'entities';
import { parseDocument } from 'htmlparser2';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

jest.setTimeout(120_000);

/**
 * SQL, markup, template and spreadsheet injections in every text the product stores — names of
 * the organisation, units and people (by the API and by roster import), commitments, pulse
 * comments, instrument texts, campaign and API token names — are stored exactly as typed and come
 * back inert: escaped on every HTML page (checked by parsing each page as a browser would, and by
 * loading it in Chromium without its CSP: no dialog opens, no injected element exists), and
 * prefixed so a spreadsheet shows them as text in CSV exports.
 */

/** Breaks out of an attribute, an element, a <textarea>, a <script>; starts a formula; a template. */
const NASTY = `=cmd|' /C calc'!A0 '; drop table person; -- "><img src=x onerror=alert(1)></textarea></script><script>alert(2)</script>{{7*7}}`;
/** For the one field limited to 100 characters (API token names). */
const SHORT = `=1+1 '; drop table unit; -- "><img src=x onerror=alert(3)>{{7*7}}`;
const nasty = (field: string) => `${NASTY} #${field}`;
/** Scale labels are at most 60 characters. */
const label = (n: number) => `=1 '"><img src=x onerror=alert(4)></script> #label-${n}`;

const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** What a page must never contain if the injections are inert, found by parsing it. */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    const n = node as {
      type?: string;
      name?: string;
      attribs?: Record<string, string>;
      children?: unknown[];
      data?: string;
    };
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      for (const [name, value] of Object.entries(n.attribs ?? {})) {
        if (name.startsWith('on')) found.push(`<${n.name} ${name}="${value}">`);
        if (/^\s*javascript:/i.test(value)) found.push(`<${n.name} ${name}="${value}">`);
      }
      if (n.name === 'img' && n.attribs?.src === 'x') found.push('<img src=x>');
      if (n.name === 'script') {
        const text = (n.children ?? []).map((c) => (c as { data?: string }).data ?? '').join('');
        if (/alert\(\d\)/.test(text) && n.attribs?.type !== 'application/json')
          found.push(`<script>${text.slice(0, 80)}</script>`);
      }
    }
    for (const child of n.children ?? []) walk(child);
  };
  walk(parseDocument(html));
  return found;
}

describe('injection strings are stored verbatim and rendered inert', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext | undefined;
  let mailbox: Awaited<ReturnType<typeof startMailbox>> | undefined;
  let browser: Browser | undefined;
  let admin: string;
  let leader: string;
  let teamId: string;
  let instrumentId: string;
  let links: string[];
  /** Every page fetched, by what it is. */
  const pages = new Map<string, string>();

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      SCHEDULER_TICK_MS: '500',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
      REQUEST_LIMIT_PER_MINUTE: '100000',
    });
    org = await createOrg(t.app, 'inject');
    worker = await startWorker();
    admin = await signIn(t.http, org.admin.email);
    const hr = await signIn(t.http, org.hr.email);

    // The organisation, renamed through the API.
    await t.http
      .patch(`/organisations/${org.orgId}`)
      .set(as(admin))
      .send({ name: nasty('org') })
      .expect(200);

    // A team, its people and its leader through the roster import.
    const roster = [
      'email,name,team_key,team_name,department,role',
      `lead@inject.test,${csvCell(nasty('leader'))},nasty,${csvCell(nasty('team'))},Engineering,leader`,
      ...Array.from(
        { length: 6 },
        (_, i) =>
          `m${i}@inject.test,${csvCell(nasty(`member-${i}`))},nasty,${csvCell(nasty('team'))},Engineering,member`,
      ),
    ].join('\n');
    const imported = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .set(as(hr))
      .type('text/csv')
      .send(roster);
    expect({ status: imported.status, body: imported.body }).toMatchObject({ status: 200 });
    const lead = await t.db.query<{ id: string }>(
      `select id from person where email = 'lead@inject.test'`,
    );
    await t.http
      .put(`/people/${lead.rows[0].id}/password`)
      .set(as(admin))
      .send({ password: PASSWORD })
      .expect(204);
    leader = await signIn(t.http, 'lead@inject.test');
    teamId = (await t.db.query<{ id: string }>(`select id from unit where key = 'nasty'`)).rows[0]
      .id;

    // A unit and a person through the API too.
    await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set(as(hr))
      .send({ name: nasty('unit'), key: 'api-unit', kind: 'department' })
      .expect(201);
    await t.http
      .post(`/organisations/${org.orgId}/people`)
      .set(as(hr))
      .send({ email: 'api-person@inject.test', name: nasty('person') })
      .expect(201);

    // An instrument whose every text is hostile.
    const instrument = await t.http
      .post(`/organisations/${org.orgId}/instruments`)
      .set(as(hr))
      .send({
        key: 'nasty',
        name: nasty('instrument'),
        description: nasty('instrument-description'),
        scale: { min: 1, max: 3, labels: [label(1), label(2), label(3)] },
        dimensions: [
          { key: 'focus', name: nasty('dimension'), description: nasty('dimension-description') },
        ],
        items: [
          { key: 'f1', dimension: 'focus', text: nasty('item-1'), selfText: nasty('self-1') },
          { key: 'f2', dimension: 'focus', text: nasty('item-2'), source: nasty('source') },
        ],
      });
    expect({ status: instrument.status, body: instrument.body }).toMatchObject({ status: 201 });
    instrumentId = instrument.body.id;

    // A closed, aggregated round of that instrument, so the report pages show its texts.
    const history = await t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({ periodStart: '2025-01-06', periodEnd: '2025-01-19', instrumentId })
      .set(as(hr))
      .type('text/csv')
      .send(
        [
          'team,f1,f2',
          ...Array.from({ length: 6 }, (_, i) => `nasty,${1 + (i % 3)},${3 - (i % 2)}`),
        ].join('\n'),
      );
    expect({ status: history.status, body: history.body }).toMatchObject({ status: 201 });
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [history.body.roundId]))
          .rows[0].aggregated_at,
    );

    // An open round of it over the team: personal links that show the texts to members.
    const round = await openRoundNow(t.app, org, {
      teamIds: [teamId],
      instrumentId,
      name: nasty('campaign'),
    });
    expect(round.roundId).toEqual(expect.any(String));
    // The running worker may be the one that sends the invitations: wait for all of them.
    links = await until('the invitations', async () => {
      const sent = Array.from({ length: 6 }, (_, i) => mailbox!.linksFor(`m${i}@inject.test`)[0]);
      return sent.every(Boolean) ? sent.map(tokenOf) : null;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  describe('stored verbatim', () => {
    it('through the JSON API: campaigns, API tokens, commitments, pulse comments', async () => {
      const campaign = await t.http
        .post(`/organisations/${org.orgId}/campaigns`)
        .set(as(leader))
        .send({
          name: nasty('campaign-api'),
          form: 'full',
          cadence: 'weekly',
          timezone: 'Europe/London',
          openDays: 5,
          reminderDays: [],
          startsOn: '2030-01-07',
          teamIds: [teamId],
          instrumentId,
        });
      expect({ status: campaign.status, name: campaign.body.name }).toEqual({
        status: 201,
        name: nasty('campaign-api'),
      });
      const token = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set(as(admin))
        .send({ name: SHORT });
      expect({ status: token.status, name: token.body.name }).toEqual({ status: 201, name: SHORT });
      const commitment = await t.http
        .post(`/units/${teamId}/commitments`)
        .set(as(leader))
        .send({
          action: nasty('action'),
          owner: nasty('owner'),
          dueOn: '2030-01-31',
          dimension: 'focus',
        });
      expect({ status: commitment.status, body: commitment.body }).toMatchObject({
        status: 201,
        body: { action: nasty('action'), owner: nasty('owner') },
      });
      const answered = await t.http
        .post(`/pulse/${links[0]}`)
        .send({ answers: { f1: 1, f2: 2 }, comment: nasty('comment') });
      expect(answered.status).toBe(201);
    });

    it('the database holds every text exactly as typed', async () => {
      const q = async (sql: string) =>
        (await t.db.query<{ v: string }>(sql)).rows.map((r) => r.v).sort();
      expect(await q(`select name as v from organisation where slug = 'inject'`)).toEqual([
        nasty('org'),
      ]);
      expect(await q(`select name as v from unit where key in ('nasty', 'api-unit')`)).toEqual(
        [nasty('team'), nasty('unit')].sort(),
      );
      expect(
        await q(
          `select name as v from person where email like '%@inject.test' and name like '=cmd%'`,
        ),
      ).toEqual(
        [
          nasty('leader'),
          nasty('person'),
          ...Array.from({ length: 6 }, (_, i) => nasty(`member-${i}`)),
        ].sort(),
      );
      expect(await q(`select name as v from campaign where name like '=cmd%'`)).toEqual(
        [nasty('campaign'), nasty('campaign-api')].sort(),
      );
      expect(await q(`select name as v from api_token where name like '=1+1%'`)).toEqual([SHORT]);
      expect(await q(`select action || '|' || owner as v from commitment`)).toEqual([
        `${nasty('action')}|${nasty('owner')}`,
      ]);
      // Comments are sealed at rest; opened with the application's key they are exactly as typed.
      const sealer = t.app.get(AnswerSealer);
      const pool = await t.db.query<{ round_id: string; unit_id: string; sealed: Buffer }>(
        'select round_id, unit_id, sealed from response_pool',
      );
      const stored = await t.db.query<{ round_id: string; unit_id: string; sealed: Buffer }>(
        'select round_id, unit_id, sealed from comment',
      );
      expect([
        ...pool.rows
          .map((r) => sealer.openPool(r.round_id, r.unit_id, r.sealed).comment)
          .filter((c) => c !== null),
        ...stored.rows.flatMap((r) =>
          sealer.openAuthorComments(r.round_id, r.unit_id, r.sealed).map((c) => c.text),
        ),
      ]).toEqual([nasty('comment')]);
      const { rows } = await t.db.query<{
        d: { name: string; items: { text: string }[]; scale: { labels: string[] } };
      }>(
        `select v.definition as d from instrument_version v join instrument i on i.id = v.instrument_id where i.key = 'nasty'`,
      );
      expect(rows[0].d).toMatchObject({
        name: nasty('instrument'),
        items: [{ text: nasty('item-1') }, { text: nasty('item-2') }],
        scale: { labels: [label(1), label(2), label(3)] },
      });
      // And the statements that carried them did nothing else: every table is still there.
      const tables = await t.db.query(
        `select 1 from information_schema.tables where table_name in ('person', 'unit')`,
      );
      expect(tables.rowCount).toBe(2);
    });
  });

  describe('rendered inert', () => {
    const get = async (what: string, path: string, token: string, status = 200) => {
      const res = await t.http.get(path).set('cookie', `trellis_session=${token}`);
      expect({ what, status: res.status }).toEqual({ what, status });
      pages.set(what, res.text);
      return res.text;
    };

    beforeAll(async () => {
      await get('my teams, as the leader', '/app', leader);
      await get('the people, as the admin', `/app/organisations/${org.orgId}/people`, admin);
      await get('the team report', `/app/units/${teamId}/report`, leader);
      await get('the organisation overview', `/app/organisations/${org.orgId}`, admin);
      await get('the answering page', `/r/${links[1]}`, leader);
      await get('the link already used', `/r/${links[0]}`, leader, 409);

      const pulse = await t.http
        .post(`/r/${links[2]}`)
        .type('form')
        .send({ 'answers[f1]': '1', comment: nasty('comment-echo') });
      expect(pulse.status).toBe(400);
      pages.set('the answering page sent back with a problem', pulse.text);

      // A form posted with the session cookie carries the page's CSRF token, as a browser would.
      const csrf = /name="_csrf" value="([^"]+)"/.exec(pages.get('the team report')!)?.[1];
      expect(csrf).toBeTruthy();
      const commitment = await t.http
        .post(`/app/units/${teamId}/commitments`)
        .set('cookie', `trellis_session=${leader}`)
        .type('form')
        .send({
          _csrf: csrf,
          action: nasty('action-echo'),
          owner: nasty('owner-echo'),
          dueOn: 'not a day',
          dimension: 'focus',
        });
      expect(commitment.status).toBe(400);
      pages.set('the report sent back with a commitment problem', commitment.text);

      // The sign-in form too: its pre-session cookie and the token the form carries.
      const form = await t.http.get('/sign-in');
      const pre = ([] as string[])
        .concat(form.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('trellis_pre='));
      const signInPage = await t.http
        .post('/sign-in')
        .set('cookie', pre!)
        .type('form')
        .send({
          _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1],
          email: nasty('email'),
          password: 'x',
        });
      expect(signInPage.status).toBe(401);
      pages.set('the sign-in page sent back', signInPage.text);
    });

    /** Each page, and the texts it must show (escaped). */
    const WHERE: [string, string[]][] = [
      ['my teams, as the leader', [nasty('leader'), nasty('team')]],
      ['the people, as the admin', [nasty('leader'), nasty('team')]],
      [
        'the team report',
        [
          nasty('team'),
          nasty('leader'),
          nasty('dimension'),
          nasty('item-1'),
          label(1),
          nasty('action'),
          nasty('owner'),
        ],
      ],
      ['the organisation overview', [nasty('team'), nasty('dimension')]],
      [
        'the answering page',
        [nasty('org'), nasty('team'), nasty('instrument'), nasty('item-1'), label(2)],
      ],
      ['the link already used', []],
      ['the answering page sent back with a problem', [nasty('team'), nasty('comment-echo')]],
      [
        'the report sent back with a commitment problem',
        [nasty('action-echo'), nasty('owner-echo')],
      ],
      ['the sign-in page sent back', [nasty('email')]],
    ];

    it.each(WHERE)('%s: shows each text as text, and no live markup', (what, texts) => {
      const html = pages.get(what)!;
      expect(html).not.toContain(NASTY);
      expect(html).not.toMatch(/<script>alert|<img src=x/i);
      expect(liveMarkup(html)).toEqual([]);
      // Escaped, the texts are all there: the page says what was typed.
      const text = decodeHTML(html);
      for (const typed of texts)
        expect({ what, typed, shown: text.includes(typed) }).toEqual({ what, typed, shown: true });
    });

    it('in Chromium, even without the pages’ Content-Security-Policy, nothing runs', async () => {
      browser = await launchBrowser();
      const page = await browser.newPage();
      await page.route('**/*', (route) => route.abort());
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      for (const [what, html] of pages) {
        await page.setContent(html, { waitUntil: 'load' });
        const injected = await page.evaluate(() => ({
          images: document.querySelectorAll('img[src="x"]').length,
          handlers: Array.from(document.querySelectorAll('*')).filter((e) =>
            Array.from(e.attributes).some((a) => a.name.startsWith('on')),
          ).length,
          scripts: Array.from(document.querySelectorAll('script')).filter(
            (s) => /alert\(/.test(s.textContent ?? '') && s.type !== 'application/json',
          ).length,
        }));
        expect({ what, injected }).toEqual({
          what,
          injected: { images: 0, handlers: 0, scripts: 0 },
        });
      }
      expect(dialogs).toEqual([]);
    });
  });

  it('CSV exports start no cell with a formula character', async () => {
    const res = await t.http.get(`/organisations/${org.orgId}/exports/trends.csv`).set(as(admin));
    expect(res.status).toBe(200);
    const rows: string[][] = parseCsv(res.text.replace(/^\uFEFF/, ''), { relaxColumnCount: true });
    const cells = rows.flat();
    // The hostile names are in the file, as text.
    expect(cells.some((c) => c.includes(nasty('team')))).toBe(true);
    const formula = (c: string) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(c);
    expect(cells.filter(formula)).toEqual([]);
  });
});
