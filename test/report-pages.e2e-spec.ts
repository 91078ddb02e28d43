/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

const K = 5;
const HIDDEN = `not enough responses to show (fewer than ${K})`;
/** A team name that would end the embedded JSON if it were not escaped. */
const NASTY = 'Infra </script><script>window.pwned=1</script>';
/** Below Engineering's export (four units × six dimensions × two rounds), above Sales' alone. */
const EXPORT_DIRECT_MAX_ROWS = 30;

type Profile = 'micromanaged' | 'healthy';

/** One CSV row per person; answers vary a little between people so intervals have width. */
function rows(teamKey: string, people: number, profile: Profile, shift = 0): string[] {
  const value = (dimension: string, reverse: boolean, i: number) => {
    let raw: number;
    if (profile === 'micromanaged') {
      raw =
        dimension === 'decision_rights'
          ? 1 + (i % 2)
          : dimension === 'over_control'
            ? 5 - (i % 2)
            : 4 - (i % 3 === 0 ? 1 : 0);
    } else {
      raw = dimension === 'over_control' ? 1 + (i % 2) + shift : 4 + (i % 2) - shift;
    }
    raw = Math.min(5, Math.max(1, raw));
    return reverse ? 6 - raw : raw;
  };
  return Array.from({ length: people }, (_, i) =>
    [
      teamKey,
      ...AUTONOMY_ALIGNMENT_PULSE.items.map((it) => value(it.dimension, it.reverse, i)),
    ].join(','),
  );
}

/** GET as the signed-in browser (its cookie), outside the page so the page's CSP stays strict. */
async function apiJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.context().request.get(`${new URL(page.url()).origin}${path}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as T;
}

interface ChartDump {
  id: string;
  type: string;
  labels: unknown[];
  datasets: { label: string; data: unknown[] }[];
}

interface Dim {
  key: string;
  name: string;
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  benchmark: { mean: number | null; ciLow: number | null; ciHigh: number | null } | null;
}
interface Trend {
  round: { periodStart: string };
  shown: boolean;
  autonomy?: number | null;
  alignment?: number | null;
  dimensions?: Dim[];
}
interface Report {
  latest: (Trend & { dimensions: Dim[]; respondents: number }) | null;
  trends: Trend[];
  flags: { code: string; explanation: string; actions: string[] }[];
  items: { key: string; dimension: string; distribution: number[] }[];
}

describe('report pages in headless Chromium', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let infraId: string;
  const contexts: BrowserContext[] = [];

  async function importRound(hr: string, start: string, end: string, lines: string[]) {
    const csv = [
      ['team', ...AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key)].join(','),
      ...lines,
    ].join('\n');
    const imported = await t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({ periodStart: start, periodEnd: end })
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(csv);
    expect(imported.status).toBe(201);
    const roundId = imported.body.roundId as string;
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
  }

  beforeAll(async () => {
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
      EXPORT_DIRECT_MAX_ROWS: String(EXPORT_DIRECT_MAX_ROWS),
      EXPORT_DIR: mkdtempSync(join(tmpdir(), 'trellis-report-pages-')),
    });
    org = await createOrg(t.app, 'reportpages');
    worker = await startWorker();
    const hr = await signIn(t.http, org.hr.email);
    const infra = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: NASTY, key: 'infra', kind: 'team', parentId: org.deptId });
    expect(infra.status).toBe(201);
    infraId = infra.body.id;
    // Two rounds: Platform (6, + Platform Data 2 below it) healthy and improving; Infra 5;
    // Sales 7, micromanaged.
    await importRound(hr, '2025-02-17', '2025-03-02', [
      ...rows('platform', 6, 'healthy', 1),
      ...rows('platform-data', 2, 'healthy'),
      ...rows('infra', 5, 'healthy'),
      ...rows('sales', 7, 'micromanaged'),
    ]);
    await importRound(hr, '2025-03-03', '2025-03-16', [
      ...rows('platform', 6, 'healthy'),
      ...rows('platform-data', 2, 'healthy'),
      ...rows('infra', 5, 'healthy'),
      ...rows('sales', 7, 'micromanaged'),
    ]);
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await worker?.close();
    await t?.close();
  });

  /** A phone-sized browser signed in through the real form; CSP reports and page errors are collected. */
  async function signedIn(email: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Refusals this test provokes on purpose show up as failed loads; anything else counts.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    return { page, problems };
  }

  async function charts(page: Page): Promise<ChartDump[]> {
    await page.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart: (c: Element) => unknown } };
      const canvases = Array.from(document.querySelectorAll('canvas'));
      return !!w.Chart && canvases.every((c) => w.Chart!.getChart(c));
    });
    return page.evaluate(() => {
      const w = window as unknown as {
        Chart: {
          getChart: (c: Element) => {
            config: { type: string };
            data: { labels: unknown[]; datasets: { label: string; data: unknown[] }[] };
          };
        };
      };
      return Array.from(document.querySelectorAll('canvas')).map((c) => {
        const chart = w.Chart.getChart(c);
        return {
          id: c.id,
          type: chart.config.type,
          labels: chart.data.labels,
          datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
        };
      });
    });
  }

  /** The ids of canvases with nothing drawn on them. */
  async function blankCanvases(page: Page): Promise<string[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas'))
        .filter((c) => {
          const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false;
          return true;
        })
        .map((c) => c.id),
    );
  }

  async function fitsPhone(page: Page): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  }

  it('serves the report script, Chart.js bundled in, from this server with a long cache lifetime', async () => {
    const res = await t.http.get('/assets/report.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('max-age=31536000');
    expect(res.text ?? res.body.toString()).toContain('chart-dimensions');
    // The UMD copy of Chart.js the string-built pages loaded is gone.
    expect((await t.http.get('/assets/chart.umd.min.js')).status).toBe(404);
  });

  it('lets in exactly the callers the API report endpoints let in (the authorization rows)', async () => {
    const other = await createOrg(t.app, 'reportpages-other');
    const callers = {
      anonymous: null,
      member: org.member.email,
      otherLeader: org.otherLeader.email,
      leader: org.leader.email,
      hr: org.hr.email,
      admin: org.admin.email,
      otherAdmin: other.admin.email,
    };
    const statuses = async (path: string) => {
      const out: Record<string, number> = {};
      for (const [caller, email] of Object.entries(callers)) {
        let req = t.http.get(path);
        if (email) req = req.set('authorization', `Bearer ${await signIn(t.http, email)}`);
        const res = await req;
        out[caller] = res.status;
        expect(res.headers['content-type']).toMatch(/text\/html/);
      }
      return out;
    };
    const refusedAs = { anonymous: 401, member: 403, otherLeader: 403, otherAdmin: 404 };
    expect(await statuses(`/app/units/${org.teamId}/report`)).toEqual({
      ...refusedAs,
      leader: 200,
      hr: 200,
      admin: 200,
    });
    expect(await statuses(`/app/organisations/${org.orgId}`)).toEqual({
      ...refusedAs,
      leader: 403,
      hr: 200,
      admin: 200,
    });
    // The JSON report and the page agree on who may read what.
    for (const [caller, email] of Object.entries(callers)) {
      let req = t.http.get(`/units/${org.teamId}/report`);
      if (email) req = req.set('authorization', `Bearer ${await signIn(t.http, email)}`);
      const page = await (email
        ? t.http
            .get(`/app/units/${org.teamId}/report`)
            .set('authorization', `Bearer ${await signIn(t.http, email)}`)
        : t.http.get(`/app/units/${org.teamId}/report`));
      expect({ caller, status: (await req).status }).toEqual({ caller, status: page.status });
    }
    // Seven sign-ins (argon2) and fourteen reports: about a minute on a busy two-core machine.
  }, 180_000);

  it('sends a browser that is not signed in to the sign-in form', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/app/units/${org.teamId}/report`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // Clients that do not ask for HTML keep the plain 401.
    const res = await t.http.get(`/app/units/${org.teamId}/report`);
    expect(res.status).toBe(401);
  });

  it('the leader reads their team report: every chart holds the numbers the API returns', async () => {
    const { page, problems } = await signedIn(org.leader.email);
    await page.getByRole('link', { name: 'Platform', exact: true }).click();
    await page.waitForURL(`${base}/app/units/${org.teamId}/report`);
    const response = await page.context().request.get(page.url());
    const headers = {
      csp: response.headers()['content-security-policy'],
      cache: response.headers()['cache-control'],
    };
    expect(headers.cache).toBe('no-store');
    // The one page CSP: scripts and styles from this server only, no inline code, no hashes.
    expect(headers.csp).toContain("script-src 'self';");
    expect(headers.csp).toContain("style-src 'self';");
    expect(headers.csp).not.toMatch(/unsafe-inline|sha256-/);
    // As sent (Chart.js later sizes its canvases through the CSSOM, which the CSP allows).
    expect(await response.text()).not.toMatch(/<script(?![^>]*\ssrc=)|<style|\sstyle=/);

    const dumps = await charts(page);
    const report = await apiJson<Report>(page, `/units/${org.teamId}/report`);
    expect(report.latest?.shown).toBe(true);
    const byId = new Map(dumps.map((d) => [d.id, d]));
    const dims = report.latest!.dimensions;

    // (a) scores against the organisation, with intervals
    const a = byId.get('chart-dimensions')!;
    expect(a.labels).toEqual(dims.map((d) => d.name));
    expect(a.datasets[0].data).toEqual(dims.map((d) => [d.ciLow, d.ciHigh]));
    expect(a.datasets[1].data).toEqual(dims.map((d) => d.mean));
    expect(a.datasets[2].data).toEqual(
      dims.map((d) => (d.benchmark ? [d.benchmark.ciLow, d.benchmark.ciHigh] : null)),
    );
    expect(a.datasets[3].data).toEqual(dims.map((d) => d.benchmark?.mean ?? null));
    expect(dims.every((d) => d.benchmark !== null)).toBe(true);

    // (b) trends with interval bands, one chart per dimension
    expect(report.trends).toHaveLength(2);
    for (const d of dims) {
      const trend = byId.get(`chart-trend-${d.key}`)!;
      const pick = (field: 'ciHigh' | 'ciLow' | 'mean') =>
        report.trends.map((r) =>
          r.shown ? (r.dimensions!.find((x) => x.key === d.key)?.[field] ?? null) : null,
        );
      expect(trend.labels).toEqual(report.trends.map((r) => r.round.periodStart));
      expect(trend.datasets.map((s) => s.data)).toEqual([
        pick('ciHigh'),
        pick('ciLow'),
        pick('mean'),
      ]);
    }

    // (c) the quadrant path
    // Rounds whose own-respondent group is hidden have no quadrant position, and no point:
    // Platform's own 6 are never shown apart from Platform Data's 2, so there is no chart but a
    // sentence (Sales, below, has its path drawn).
    expect(
      report.trends.filter((r) => r.shown && r.autonomy !== null && r.alignment !== null),
    ).toEqual([]);
    expect(byId.has('chart-quadrant')).toBe(false);
    expect(
      await page.locator('#how-h ~ p', { hasText: 'No round has a position yet' }).count(),
    ).toBe(1);

    // (d) answer distributions: Platform's own 6 may not be shown apart from Platform Data's 2
    // (that would give Platform Data away by subtraction), so there are none, and no such charts.
    expect(report.items).toEqual([]);
    for (const d of dims) expect(byId.has(`chart-items-${d.key}`)).toBe(false);

    // Every canvas has a label, and the numbers are also there as text.
    const unlabelled = await page.locator('canvas:not([aria-label])').count();
    expect(unlabelled).toBe(0);
    expect(await page.locator('#respondents').textContent()).toBe('8');
    expect(await page.locator('details table').count()).toBeGreaterThanOrEqual(2);
    // Every canvas was drawn on (some pixel is not transparent), and nothing was refused on
    // the way: a CSP violation or a script error would be in `problems`.
    expect(await blankCanvases(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'report-leader-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300); // Chart.js redraws on resize
    expect(await blankCanvases(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-leader-1280.png'), fullPage: true });
    expect(problems).toEqual([]);

    // The print layout: no navigation, black text, charts sized for A4.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    const colour = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(colour).toBe('rgb(0, 0, 0)');
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: join(ARTIFACTS, 'report-print.png'), fullPage: true });
    await page.pdf({ path: join(ARTIFACTS, 'report-print.pdf'), format: 'A4' });
  });

  it('the leader records a commitment on the report page, and a bad date is explained next to its field', async () => {
    const { page, problems } = await signedIn(org.leader.email);
    await page.goto(`${base}/app/units/${org.teamId}/report`);
    await page
      .getByLabel('What the team will try')
      .fill('Agree on outcomes before the sprint, then leave the how to the team');
    await page.getByLabel('Who owns it').fill('The team lead');
    await page.getByLabel('By when').fill('2026-02-30');
    await page.getByLabel('Which dimension should move').selectOption('decision_rights');
    // The browser's own date check would stop 30 February first; the server must catch it too.
    await page.evaluate(() =>
      document.querySelector('form.commitment-form')?.setAttribute('novalidate', ''),
    );
    const sent = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    expect((await sent).status()).toBe(400);
    // Written for the person at the form, and the same words in the JSON API's answer.
    const dateProblem = 'Pick a date that exists, written like 2026-11-23';
    await expect(page.getByRole('alert').textContent()).resolves.toContain(dateProblem);
    expect(await page.getByLabel('By when').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('What the team will try').inputValue()).toContain(
      'Agree on outcomes',
    );
    expect(await page.getByLabel('Which dimension should move').inputValue()).toBe(
      'decision_rights',
    );
    expect((await t.db.query('select count(*)::int as n from commitment')).rows[0].n).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#commitments').screenshot({
      path: join(ARTIFACTS, 'report-commitment-problem-375.png'),
    });

    // One rule, checked once (in the domain): the JSON API refuses the same date in the same words.
    const json = await t.http
      .post(`/units/${org.teamId}/commitments`)
      .set('authorization', `Bearer ${await signIn(t.http, org.leader.email)}`)
      .send({ action: 'x', owner: 'y', dueOn: '2026-02-30', dimension: 'decision_rights' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ field: 'dueOn', message: dateProblem }]);

    // The form is only good with the page's CSRF token: the same cookie without it is refused.
    const forged = await page
      .context()
      .request.post(`${base}/app/units/${org.teamId}/commitments`, {
        form: { action: 'Forged', owner: 'Someone', dueOn: '2030-03-31', dimension: 'alignment' },
        maxRedirects: 0,
      });
    expect(forged.status()).toBe(403);
    expect((await t.db.query('select count(*)::int as n from commitment')).rows[0].n).toBe(0);

    await page.getByLabel('By when').fill('2030-03-31');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await page.waitForURL(/\/report#commitments$/);
    await expect(page.locator('ul.commitments li').first().textContent()).resolves.toContain(
      'Agree on outcomes before the sprint',
    );
    const stored = await t.db.query(
      'select dimension, owner, to_char(due_on, $1) as due from commitment',
      ['YYYY-MM-DD'],
    );
    expect(stored.rows).toEqual([
      { dimension: 'decision_rights', owner: 'The team lead', due: '2030-03-31' },
    ]);
    expect(problems).toEqual([]);
  });

  it("the leader sees only a sentence for the tiny sub-team, and is refused another leader's team", async () => {
    const { page, problems } = await signedIn(org.leader.email);
    const res = await page.goto(`${base}/app/units/${org.subTeamId}/report`);
    expect(res?.status()).toBe(200);
    // The round picker (a form) aside, the report is the sentence and nothing else.
    expect((await page.locator('main section.card').innerText()).trim()).toBe(HIDDEN);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('#page-data').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);

    const refused = await page.goto(`${base}/app/units/${org.otherTeamId}/report`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('You do not have access to this page');
    const html = await page.content();
    expect(html).not.toContain('page-data');
    expect(html).not.toContain('Sales');
    expect(await page.locator('main').innerText()).not.toMatch(/\d/);
    expect(await accessibilityViolations(page)).toEqual([]);

    const overview = await page.goto(`${base}/app/organisations/${org.orgId}`);
    expect(overview?.status()).toBe(403);
    const missing = await page.goto(`${base}/app/units/not-a-uuid/report`);
    expect(missing?.status()).toBe(400);
    expect(problems).toEqual([]);
  });

  it('HR reads the overview: heatmap with hidden rows marked, participation, links to each report', async () => {
    const { page, problems } = await signedIn(org.hr.email);
    await page.getByRole('link', { name: /Organisation overview/ }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}`);
    const dumps = await charts(page);
    const heatmap = await apiJson<{
      round: { periodStart: string } | null;
      dimensions: { key: string }[];
      rows: {
        unit: { id: string; name: string };
        shown: boolean;
        respondents: number;
        cells?: Record<string, { score: number } | null>;
      }[];
    }>(page, `/organisations/${org.orgId}/heatmap`);
    const participation = await apiJson<{ respondents: number; periodStart: string }[]>(
      page,
      `/organisations/${org.orgId}/participation`,
    );

    for (const row of heatmap.rows) {
      const tr = page.locator(`tr[data-unit="${row.unit.id}"]`);
      expect(await tr.count()).toBe(1);
      const link = tr.locator('th a');
      expect(await link.getAttribute('href')).toBe(`/app/units/${row.unit.id}/report`);
      expect(await link.textContent()).toBe(row.unit.name);
      const cells = await tr.locator('td').allInnerTexts();
      if (row.shown) {
        expect(cells).toEqual([
          String(row.respondents),
          ...heatmap.dimensions.map((d) => String(Math.round(row.cells![d.key]!.score))),
        ]);
      } else {
        expect(cells).toEqual([String(row.respondents), HIDDEN]);
      }
    }
    const hidden = heatmap.rows.filter((r) => !r.shown).map((r) => r.unit.id);
    expect(hidden).toEqual(expect.arrayContaining([org.subTeamId]));
    // The team name with </script> in it stays text.
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
    expect(await page.locator(`tr[data-unit="${infraId}"] th a`).textContent()).toBe(NASTY);

    const part = dumps.find((d) => d.id === 'chart-participation')!;
    expect(part.labels).toEqual(participation.map((p) => p.periodStart));
    expect(part.datasets[0].data).toEqual(participation.map((p) => p.respondents));

    // The chart script reads exactly what the JSON routes answer, nothing more.
    const data = JSON.parse(
      (await page.locator('#page-data').getAttribute('data-json')) ?? 'null',
    ) as unknown;
    expect(data).toEqual({
      kind: 'organisation',
      organisationId: org.orgId,
      heatmap,
      // Plus the campaign each round is drawn under (one chart line per campaign).
      participation: participation.map((p) => ({ ...p, campaign: 'imported history' })),
    });
    // Without the script the numbers are all in the table beside the chart.
    expect(
      await page
        .locator('table:has(caption:text("People who answered per round")) tbody th')
        .allTextContents(),
    ).toEqual(participation.map((p) => p.periodStart));

    expect(problems).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-hr.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-hr-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 740 });

    // The download form. Sales alone is small enough to download straight away, as XLSX.
    await page.getByLabel('Rounds starting from').fill('2000-01-01');
    await page.getByLabel('Part of the organisation').selectOption(org.otherTeamId);
    await page.getByLabel('Format').selectOption('xlsx');
    const [direct] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    expect(direct.suggestedFilename()).toMatch(/^trellis-trends-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await direct.path());
    const salesRows = workbook.getWorksheet('Trends')!.rowCount - 1;
    expect(salesRows).toBe(heatmap.dimensions.length * 2); // two rounds

    // Engineering's is over this app's direct limit (EXPORT_DIRECT_MAX_ROWS): the page offers
    // to prepare it in the background, then follows the job to its file.
    await page.goto(`${base}/app/organisations/${org.orgId}`);
    await page.getByLabel('Rounds starting from').fill('2000-01-01');
    await page.getByLabel('Part of the organisation').selectOption(org.deptId);
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await page.waitForURL(/\/app\/organisations\/[0-9a-f-]+\/export\?/);
    expect(await page.locator('h1').innerText()).toBe('This export is large');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'export-large.png'), fullPage: true });
    await page.getByRole('button', { name: 'Prepare the CSV file' }).click();
    await page.waitForURL(/\/app\/exports\/[0-9a-f-]+$/);
    const exportId = new URL(page.url()).pathname.split('/').pop()!;
    // The page refreshes itself until the worker has written the file.
    const link = page.getByRole('link', { name: 'Download the file' });
    await until('the background export', async () => (await link.count()) > 0, 30_000);
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'export-ready.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'export-ready-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 740 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(
      /^trellis-trends-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/,
    );
    const file = await readFile(await download.path(), 'utf8');
    const rows: Record<string, string>[] = parseCsv(file.replace(/^\uFEFF/, ''), {
      columns: true,
    });
    expect(rows.length).toBeGreaterThan(EXPORT_DIRECT_MAX_ROWS);
    const latest = heatmap.round!.periodStart;
    const engineering = heatmap.rows.filter((r) =>
      [org.deptId, org.teamId, org.subTeamId, infraId].includes(r.unit.id),
    );
    expect(
      new Set(rows.filter((r) => r.period_start === latest).map((r) => r.unit_path)).size,
    ).toBe(engineering.length);
    for (const row of rows) expect(row.unit_path).toMatch(/^Org reportpages \/ Engineering/);
    for (const unit of engineering) {
      const lines = rows.filter(
        (r) => r.period_start === latest && r.unit_path.endsWith(unit.unit.name),
      );
      expect(lines).toHaveLength(heatmap.dimensions.length);
      for (const line of lines) {
        if (!unit.shown) {
          expect(line.status).toBe('suppressed');
          expect([line.mean, line.score_0_100, line.favourable_pct, line.quadrant]).toEqual([
            '',
            '',
            '',
            '',
          ]);
        } else {
          expect(Number(line.score_0_100)).toBeCloseTo(unit.cells![line.dimension]!.score, 1);
        }
      }
    }

    // The export page lists the background export; a range that ends before it starts comes
    // back on the form, with the problem next to its field and what was typed kept.
    await page.getByRole('link', { name: 'Download trend data' }).click();
    await page.waitForURL(`${base}/app/organisations/${org.orgId}/exports`);
    expect(await page.locator(`tr[data-export="${exportId}"]`).count()).toBe(1);
    await page.getByLabel('Rounds starting from').fill('2025-03-01');
    await page.getByLabel('Up to').fill('2025-01-01');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await page.waitForURL(/\/export\?/);
    const summary = page.getByRole('alert');
    expect(await summary.innerText()).toContain(
      'Rounds starting from: must not be after the end of the range',
    );
    expect(await page.getByLabel('Rounds starting from').inputValue()).toBe('2025-03-01');
    expect(await page.getByLabel('Rounds starting from').getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);
    await page.screenshot({ path: join(ARTIFACTS, 'export-problem.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'export-problem-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 740 });
    expect(problems).toEqual([]);
  }, 180_000);
  it('HR drills down from the overview to a team: its flag in sentences, its answers charted', async () => {
    const { page, problems } = await signedIn(org.hr.email);
    // Drill down into Sales: the micromanagement flag as sentences, with what to try.
    await page.goto(`${base}/app/organisations/${org.orgId}`);
    await page.locator(`tr[data-unit="${org.otherTeamId}"] th a`).click();
    await page.waitForURL(`${base}/app/units/${org.otherTeamId}/report`);
    const salesCharts = new Map((await charts(page)).map((c) => [c.id, c]));
    const sales = await apiJson<Report>(page, `/units/${org.otherTeamId}/report`);
    const path = sales.trends.filter((r) => r.shown && r.autonomy !== null && r.alignment !== null);
    expect(path).toHaveLength(2);
    const quadrant = salesCharts.get('chart-quadrant')!;
    expect(quadrant.type).toBe('scatter');
    expect(quadrant.datasets[0].data).toEqual(path.map((r) => ({ x: r.autonomy, y: r.alignment })));
    for (const dimension of new Set(sales.items.map((i) => i.dimension))) {
      const items = sales.items.filter((i) => i.dimension === dimension);
      const chart = salesCharts.get(`chart-items-${dimension}`)!;
      expect(chart.datasets).toHaveLength(5);
      chart.datasets.forEach((set, j) =>
        expect(set.data).toEqual(items.map((i) => i.distribution[j])),
      );
    }
    const flag = page.locator('[data-flag="micromanagement"]');
    expect(await flag.count()).toBe(1);
    const heading = (await flag.locator('h3').innerText()).trim();
    expect(heading).toMatch(/Micromanagement risk: purpose without room/);
    const text = await flag.innerText();
    expect(text).toMatch(/control is crowding out ownership/);
    expect(text).toMatch(
      /Over-control \d\.\d\d \(90 % interval \d\.\d\d–\d\.\d\d\); Decision rights \d\.\d\d/,
    );
    expect(text).toMatch(/Confirmed: |Watch: /);
    expect(await flag.locator('.actions li').allInnerTexts()).toEqual([
      'State the purpose and the guardrails, not the steps.',
      'Delegate a named decision, with its boundaries, to the team.',
      'Review outcomes, not methods.',
    ]);
    expect(await page.locator('#respondents').textContent()).toBe('7');
    expect(problems).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await fitsPhone(page);
    expect(await blankCanvases(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-hr-sales-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-hr-sales-1280.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
