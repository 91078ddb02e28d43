/// <reference lib="dom" />
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { icc1, icc2, oneWayAnova } from '@trellis/scoring';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

const DIMENSIONS = AUTONOMY_ALIGNMENT_PULSE.dimensions.map((d) => d.key);

/**
 * One CSV row per person. `split` makes half the team answer one extreme and half the other on
 * decision rights, so its rwg(j) falls below .70 and its mean must be marked.
 */
function rows(teamKey: string, people: number, shift = 0, split = false): string[] {
  return Array.from({ length: people }, (_, i) =>
    [
      teamKey,
      ...AUTONOMY_ALIGNMENT_PULSE.items.map((it) => {
        let raw =
          split && it.dimension === 'decision_rights'
            ? i % 2 === 0
              ? 1
              : 5
            : it.dimension === 'over_control'
              ? 2 + (i % 2)
              : 3 + ((i + shift) % 2);
        raw = Math.min(5, Math.max(1, raw + (it.dimension === 'over_control' ? 0 : shift)));
        return it.reverse ? 6 - raw : raw;
      }),
    ].join(','),
  );
}

interface RoundChoice {
  id: string;
  periodStart: string;
  campaign: unknown;
  aggregatedAt: string | null;
}
interface Statistic {
  dimension: string;
  n: number;
  teams: number;
  icc1: number | null;
  icc2: number | null;
  alpha: number | null;
}
interface Dimension {
  key: string;
  n: number;
  mean: number;
  se: number;
  sd: number | null;
  rwgJ: number | null;
  belowAgreement: boolean;
}
interface Report {
  latest: { round: { id: string }; shown: boolean; dimensions?: Dimension[] } | null;
  rounds: RoundChoice[];
  basis: {
    aggregatedAt: string;
    current: boolean;
    minimumGroupSize: number;
    agreementCutoff: number;
  } | null;
  statistics: Statistic[];
  comparison: {
    round: { id: string };
    shown: boolean;
    changes: {
      key: string;
      earlier: number;
      later: number;
      change: { delta: number; ciLow: number; ciHigh: number; verdict: string } | null;
    }[];
  } | null;
  items: { key: string; rwg: number | null }[];
}
interface HeatmapRow {
  unit: { id: string; name: string };
  shown: boolean;
  cells?: Record<string, { sd: number | null; rwgJ: number | null; belowAgreement: boolean }>;
}
interface Heatmap {
  round: { id: string };
  rows: HeatmapRow[];
  notTakingPart: { id: string; name: string }[];
  statistics: Statistic[];
}

describe('round picker, comparison, heatmap per round, and statistics in the open', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let hr: string;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};
  let first: string;
  let pilot: string;
  let last: string;

  async function importRound(start: string, end: string, lines: string[]): Promise<string> {
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
    return roundId;
  }

  const get = <T>(path: string, query: Record<string, string> = {}) =>
    t.http
      .get(path)
      .query(query)
      .set('authorization', `Bearer ${hr}`)
      .then((res) => ({ status: res.status, body: res.body as T, text: res.text }));

  beforeAll(async () => {
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
    });
    org = await createOrg(t.app, 'roundpicker');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    ids.platform = org.teamId;
    ids.sales = org.otherTeamId;
    for (const [key, name, parentId] of [
      ['infra', 'Infrastructure', org.deptId],
      ['design', 'Design', org.rootId],
      ['tiny', 'Tiny', org.rootId],
    ] as const) {
      const res = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name, key, kind: 'team', parentId });
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    // An organisation-wide round, a pilot of Sales alone, and another organisation-wide round.
    // Tiny (2 people) is hidden in every round; Design is hidden beside it so the two cannot be
    // told apart by subtraction.
    const everyone = (shift: number) => [
      ...rows('platform', 6, shift, true),
      ...rows('infra', 5, shift),
      ...rows('sales', 7, shift),
      ...rows('design', 6, shift),
      ...rows('tiny', 2, shift),
    ];
    first = await importRound('2025-02-03', '2025-02-16', everyone(0));
    pilot = await importRound('2025-03-03', '2025-03-16', rows('sales', 6, 1));
    last = await importRound('2025-04-07', '2025-04-20', everyone(1));
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

  it('reports the latest round by default, any earlier one on ?round=, and compares with ?compare=', async () => {
    const latest = await get<Report>(`/units/${ids.sales}/report`);
    expect(latest.status).toBe(200);
    expect(latest.body.rounds.map((r) => r.id)).toEqual([first, pilot, last]);
    expect(latest.body.latest?.round.id).toBe(last);
    expect(latest.body.comparison).toBeNull();
    expect(latest.body.basis?.minimumGroupSize).toBe(5);
    expect(latest.body.basis?.agreementCutoff).toBe(0.7);
    expect(latest.body.basis?.current).toBe(true);
    expect(Date.parse(latest.body.basis!.aggregatedAt)).not.toBeNaN();

    const older = await get<Report>(`/units/${ids.sales}/report`, { round: pilot, compare: first });
    expect(older.status).toBe(200);
    expect(older.body.latest?.round.id).toBe(pilot);
    expect(older.body.comparison?.round.id).toBe(first);
    expect(older.body.comparison?.shown).toBe(true);
    const stored = await t.db.query(
      `select round_id, dimension, mean from unit_result where unit_id = $1 and not rollup`,
      [ids.sales],
    );
    const meanOf = (round: string, dim: string) =>
      stored.rows.find((r) => r.round_id === round && r.dimension === dim).mean as number;
    expect(older.body.comparison?.changes.map((c) => c.key)).toEqual(DIMENSIONS);
    for (const c of older.body.comparison!.changes) {
      expect(c.earlier).toBeCloseTo(meanOf(first, c.key), 12);
      expect(c.later).toBeCloseTo(meanOf(pilot, c.key), 12);
      expect(c.change!.delta).toBeCloseTo(c.later - c.earlier, 12);
      expect(c.change!.ciLow).toBeLessThan(c.change!.delta);
      expect(c.change!.ciHigh).toBeGreaterThan(c.change!.delta);
    }
    // Platform did not take part in the pilot: not among its choices, and a 404 when asked for.
    const platform = await get<Report>(`/units/${ids.platform}/report`);
    expect(platform.body.rounds.map((r) => r.id)).toEqual([first, last]);
    expect((await get(`/units/${ids.platform}/report`, { round: pilot })).status).toBe(404);
    // Comparing with a later round, or with something that is not a UUID, names the field.
    const later = await get<{ errors: { field: string }[] }>(`/units/${ids.sales}/report`, {
      round: first,
      compare: last,
    });
    expect(later.status).toBe(400);
    expect(later.body.errors[0].field).toBe('compare');
    const bad = await get<{ errors: { field: string }[] }>(`/units/${ids.sales}/report`, {
      round: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('round');
    // The page's "No comparison" sends compare= empty: no comparison, no error.
    const none = await get<Report>(`/units/${ids.sales}/report`, { round: first, compare: '' });
    expect(none.status).toBe(200);
    expect(none.body.comparison).toBeNull();
  });

  it('a pilot round of one team: its heatmap shows that team and lists the others as not taking part', async () => {
    const heat = await get<Heatmap>(`/organisations/${org.orgId}/heatmap`, { round: pilot });
    expect(heat.status).toBe(200);
    const rowIds = heat.body.rows.map((r) => r.unit.id);
    expect(rowIds).toContain(ids.sales);
    expect(rowIds).toContain(org.rootId);
    for (const absent of ['platform', 'infra', 'design', 'tiny'])
      expect(heat.body.notTakingPart.map((u) => u.id)).toContain(ids[absent]);
    expect(rowIds).not.toContain(ids.platform);
    // One team is no organisation: ICC needs two.
    expect(heat.body.statistics).toEqual([]);

    const latest = await get<Heatmap>(`/organisations/${org.orgId}/heatmap`);
    expect(latest.body.round.id).toBe(last);
    for (const team of ['platform', 'infra', 'sales', 'design', 'tiny'])
      expect(latest.body.rows.map((r) => r.unit.id)).toContain(ids[team]);
    expect(latest.body.notTakingPart.map((u) => u.id)).toEqual([org.subTeamId]);

    // Participation says which campaign and how many teams each round had.
    const participation = await get<{ roundId: string; teams: number }[]>(
      `/organisations/${org.orgId}/participation`,
    );
    const teams = Object.fromEntries(participation.body.map((p) => [p.roundId, p.teams]));
    expect(teams).toEqual({ [first]: 5, [pilot]: 1, [last]: 5 });
  });

  it('shows ICC(1) and ICC(2) over the shown teams only, sd and rwg exactly as stored, and marks a mean below the agreement cut-off', async () => {
    const stored = await t.db.query(
      'select dimension, icc1, icc2, alpha, teams, respondents from organisation_result where round_id = $1',
      [last],
    );
    expect(stored.rows.length).toBe(DIMENSIONS.length);
    // Tiny (2 people) and Design (hidden beside it) are not shown. ICC over all five teams would
    // give Tiny's mean away from the shown figures, so the pages read ICC over the three shown
    // teams, worked out here from their shown n, mean and sd, and no alpha.
    const shownTeams = await t.db.query<{ dimension: string; n: number; mean: number; sd: number }>(
      `select dimension, n, mean, sd from unit_result
        where round_id = $1 and not rollup and unit_id = any($2::uuid[])`,
      [last, [ids.platform, ids.infra, ids.sales]],
    );
    const stats = {
      rows: DIMENSIONS.map((dimension) => {
        const teams = shownTeams.rows.filter((r) => r.dimension === dimension);
        expect(teams).toHaveLength(3);
        const anova = oneWayAnova(
          teams.map((r) => ({
            n: r.n,
            sum: r.n * r.mean,
            sumSquares: (r.n - 1) * r.sd ** 2 + r.n * r.mean ** 2,
          })),
        );
        const all = stored.rows.find((r) => r.dimension === dimension);
        expect(all.teams).toBe(5);
        return {
          dimension,
          icc1: icc1(anova),
          icc2: icc2(anova),
          alpha: null,
          respondents: teams.reduce((sum, r) => sum + r.n, 0),
        };
      }),
    };
    expect(
      stats.rows.some((r) => r.icc1 !== stored.rows.find((x) => x.dimension === r.dimension).icc1),
    ).toBe(true);
    const report = (await get<Report>(`/units/${ids.platform}/report`)).body;
    const heat = (await get<Heatmap>(`/organisations/${org.orgId}/heatmap`)).body;
    for (const view of [report.statistics, heat.statistics]) {
      expect(view.map((s) => s.dimension).sort()).toEqual([...DIMENSIONS].sort());
      for (const s of view) {
        const row = stats.rows.find((r) => r.dimension === s.dimension)!;
        expect(s.icc1).toBeCloseTo(row.icc1!, 12);
        expect(s.icc2).toBeCloseTo(row.icc2!, 12);
        expect(s.alpha).toBeNull();
        expect(s.teams).toBe(3);
        expect(s.n).toBe(row.respondents);
      }
    }
    const results = await t.db.query(
      'select dimension, sd, rwg_j from unit_result where round_id = $1 and unit_id = $2 and not rollup',
      [last, ids.platform],
    );
    for (const d of report.latest!.dimensions!) {
      const row = results.rows.find((r) => r.dimension === d.key);
      expect(d.sd).toBe(row.sd);
      expect(d.rwgJ).toBe(row.rwg_j);
      expect(d.belowAgreement).toBe(row.rwg_j !== null && row.rwg_j < 0.7);
      expect(heat.rows.find((r) => r.unit.id === ids.platform)!.cells![d.key]).toMatchObject({
        sd: row.sd,
        rwgJ: row.rwg_j,
        belowAgreement: d.belowAgreement,
      });
    }
    // The split on decision rights is marked.
    expect(
      report.latest!.dimensions!.find((d) => d.key === 'decision_rights')!.belowAgreement,
    ).toBe(true);
    const items = await t.db.query(
      'select item_key, rwg from item_result where round_id = $1 and unit_id = $2',
      [last, ids.platform],
    );
    expect(report.items.length).toBe(items.rows.length);
    for (const i of report.items)
      expect(i.rwg).toBe(items.rows.find((r) => r.item_key === i.key).rwg);

    // Data API and CSV export: the new columns at the end, the same values rounded to 3 places.
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    const data = await get<{ columns: string[]; rows: Record<string, unknown>[] }>(
      `/organisations/${org.orgId}/data/trends`,
      { limit: '1000' },
    );
    expect(data.status).toBe(200);
    expect(data.body.columns.slice(-6)).toEqual([
      'sd',
      'low_agreement',
      'item_rwg',
      'icc1',
      'icc2',
      'alpha',
    ]);
    expect(data.body.columns.slice(0, 3)).toEqual(['period_start', 'period_end', 'unit_path']);
    const csv = await get(`/organisations/${org.orgId}/exports/trends.csv`);
    expect(csv.status).toBe(200);
    const records: Record<string, string>[] = parseCsv(csv.text.replace(/^\uFEFF/, ''), {
      columns: true,
    });
    for (const d of DIMENSIONS) {
      const row = results.rows.find((r) => r.dimension === d);
      const stat = stats.rows.find((r) => r.dimension === d);
      const api = data.body.rows.find(
        (r) => r.unit_id === ids.platform && r.round_id === last && r.dimension === d,
      )!;
      const file = records.find(
        (r) => r.unit_id === ids.platform && r.round_id === last && r.dimension === d,
      )!;
      expect(api.sd).toBe(r3(row.sd));
      expect(api.icc1).toBe(r3(stat!.icc1));
      expect(api.icc2).toBe(r3(stat!.icc2));
      expect(api.alpha).toBeNull();
      expect(api.low_agreement).toBe(row.rwg_j < 0.7 ? 'yes' : 'no');
      expect(Number(file.sd)).toBe(r3(row.sd));
      expect(Number(file.icc1)).toBe(r3(stat!.icc1));
      expect(file.low_agreement).toBe(api.low_agreement);
      const expectedItems = items.rows
        .filter((i) =>
          AUTONOMY_ALIGNMENT_PULSE.items.some((it) => it.key === i.item_key && it.dimension === d),
        )
        .sort((a, b) => (a.item_key < b.item_key ? -1 : 1))
        .map((i) => `${i.item_key}=${r3(i.rwg)}`)
        .join('; ');
      expect(api.item_rwg).toBe(expectedItems);
      expect(file.item_rwg).toBe(expectedItems);
    }
    // The pilot round carries no organisation statistics anywhere.
    for (const r of data.body.rows.filter((x) => x.round_id === pilot)) {
      expect(r.icc1).toBeNull();
      expect(r.alpha).toBeNull();
    }
  });

  it("never lets a hidden team's sd, rwg or item agreement leave the server", async () => {
    for (const team of ['tiny', 'design']) {
      const report = await get<Report>(`/units/${ids[team]}/report`);
      expect(report.status).toBe(200);
      expect(report.body.latest?.shown).toBe(false);
      expect(report.body.items).toEqual([]);
      expect(report.text).not.toMatch(/"sd"|"rwgJ"|"rwg"/);
      const page = await get(`/app/units/${ids[team]}/report`);
      expect(page.text).not.toContain('How much the team agrees');
    }
    const heat = await get<Heatmap>(`/organisations/${org.orgId}/heatmap`);
    for (const team of ['tiny', 'design']) {
      const row = heat.body.rows.find((r) => r.unit.id === ids[team])!;
      expect(row.shown).toBe(false);
      expect(JSON.stringify(row)).not.toMatch(/"sd"|"rwgJ"|"cells"/);
    }
    const data = await get<{ rows: Record<string, unknown>[] }>(
      `/organisations/${org.orgId}/data/trends`,
      { limit: '1000' },
    );
    const hidden = data.body.rows.filter((r) => r.unit_id === ids.tiny || r.unit_id === ids.design);
    expect(hidden.length).toBeGreaterThan(0);
    for (const r of hidden) {
      expect(r.sd).toBeNull();
      expect(r.low_agreement).toBeNull();
      expect(r.item_rwg).toBeNull();
    }
  });

  it('refuses a round that is not a UUID (400; the API names the field) and a round of another organisation (404), on pages and API alike', async () => {
    const other = await createOrg(t.app, 'roundpicker-other');
    const foreign = (
      await t.db.query(
        `insert into round (organisation_id, instrument_version_id, form, period_start, period_end, opens_at, closes_at, item_keys, status, aggregated_at, source)
         select $1, instrument_version_id, form, period_start, period_end, opens_at, closes_at, item_keys, 'closed', now(), source
           from round where id = $2 returning id`,
        [other.orgId, first],
      )
    ).rows[0].id as string;
    for (const path of [`/organisations/${org.orgId}/heatmap`, `/app/organisations/${org.orgId}`]) {
      const bad = await get<{ errors?: { field: string }[] }>(path, { round: 'yesterday' });
      expect(bad.status).toBe(400);
      // The JSON answer names the field; a page says only that the address is not valid.
      if (path.startsWith('/app/')) expect(bad.text).toContain('This address is not valid');
      else expect(bad.body.errors?.[0].field).toBe('round');
      expect((await get(path, { round: foreign })).status).toBe(404);
    }
    for (const path of [`/units/${ids.sales}/report`, `/app/units/${ids.sales}/report`]) {
      expect((await get(path, { round: foreign })).status).toBe(404);
      expect((await get(path, { compare: foreign })).status).toBe(404);
    }
  });

  async function signedIn(width: number): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(org.hr.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    return { page, problems };
  }

  it('HR picks the pilot round on the overview with the form (no script needed) and reads it', async () => {
    const { page, problems } = await signedIn(1280);
    await page.goto(`${base}/app/organisations/${org.orgId}`);
    await expect(page.locator('#round').inputValue()).resolves.toBe(last);
    await page.locator('#round').selectOption(pilot);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('round') === pilot);
    expect(await page.locator('#heat-h').textContent()).toContain('2025-03-03');
    expect(await page.locator('table.heat tbody tr').count()).toBe(2); // the organisation and Sales
    const absent = await page.locator('#not-taking-part li').allTextContents();
    expect(absent.join(' ')).toContain('Design');
    expect(absent.join(' ')).toContain('Infrastructure');
    expect(await page.locator('#organisation-statistics').textContent()).toContain(
      'need at least two teams',
    );
    expect(await page.locator('#round-basis').textContent()).toContain('k = 5');
    // The pilot is a line of its own in the participation chart, not a collapse of the others.
    await page.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart: (c: Element) => unknown } };
      const c = document.getElementById('chart-participation');
      return !!c && !!w.Chart?.getChart(c);
    });
    const series = await page.evaluate(() => {
      const w = window as unknown as {
        Chart: {
          getChart: (c: Element) => { data: { datasets: { label: string; data: unknown[] }[] } };
        };
      };
      return w.Chart.getChart(document.getElementById('chart-participation')!).data.datasets.map(
        (d) => ({ label: d.label, data: d.data }),
      );
    });
    expect(series).toEqual([
      { label: 'People who answered · imported history', data: [26, null, 26] },
      { label: 'People who answered · imported history, some teams only', data: [null, 6, null] },
    ]);
    expect(problems).toEqual([]);
  });

  it('the overview at 1280 px shows all six columns with full names on hover, statistics explained; at 375 the table scrolls under a sticky unit column', async () => {
    const { page, problems } = await signedIn(1280);
    await page.goto(`${base}/app/organisations/${org.orgId}`);
    const headers = page.locator('table.heat thead th[data-dimension]');
    expect(await headers.count()).toBe(6);
    expect(await page.locator('table.heat thead abbr').first().getAttribute('title')).toBe(
      AUTONOMY_ALIGNMENT_PULSE.dimensions[0].name,
    );
    const lastHeader = await headers.last().boundingBox();
    expect(lastHeader!.x + lastHeader!.width).toBeLessThanOrEqual(1280);
    const wrap = page.locator('.table-wrap', { has: page.locator('table.heat') });
    const wrapBox = await wrap.boundingBox();
    expect(lastHeader!.x + lastHeader!.width).toBeLessThanOrEqual(wrapBox!.x + wrapBox!.width + 1);
    // A marked cell for the split team, and the reading guide.
    expect(await page.locator(`tr[data-unit="${ids.platform}"] td.low-agreement`).count()).toBe(1);
    const guide = await page.locator('#how-to-read').textContent();
    expect(guide).toContain('ICC(1)');
    expect(guide).toContain('How reliable a team mean is');
    expect(await page.locator('#organisation-statistics tbody tr').count()).toBe(6);
    await page.screenshot({
      path: join(ARTIFACTS, 'round-picker-overview-1280.png'),
      fullPage: true,
    });
    expect(await accessibilityViolations(page)).toEqual([]);

    const phone = await signedIn(375);
    await phone.page.goto(`${base}/app/organisations/${org.orgId}`);
    const scroller = phone.page.locator('.table-wrap', { has: phone.page.locator('table.heat') });
    const sizes = await scroller.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    const unitCell = await phone.page
      .locator(`table.heat tr[data-unit="${ids.sales}"] th[scope="row"]`)
      .boundingBox();
    const box = await scroller.boundingBox();
    expect(unitCell!.x).toBeGreaterThanOrEqual(box!.x - 1);
    expect(unitCell!.x).toBeLessThan(box!.x + 5);
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await phone.page.screenshot({
      path: join(ARTIFACTS, 'round-picker-overview-375.png'),
      fullPage: true,
    });
    expect(await accessibilityViolations(phone.page)).toEqual([]);
    expect([...problems, ...phone.problems]).toEqual([]);
  });

  it('the team report picks a round and compares on the page, with its agreement and statistics', async () => {
    const { page, problems } = await signedIn(1280);
    await page.goto(`${base}/app/units/${ids.sales}/report`);
    await page.locator('#round').selectOption(pilot);
    await page.locator('#compare').selectOption(first);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('round') === pilot && url.searchParams.get('compare') === first,
    );
    expect(await page.locator('#summary-h').textContent()).toBe('Chosen round');
    expect(await page.locator('#comparison tbody tr').count()).toBe(6);
    expect(await page.locator('#team-agreement tbody tr').count()).toBeGreaterThanOrEqual(6);
    // The pilot had one team: no organisation statistics, said in words.
    expect(await page.locator('#organisation-statistics').textContent()).toContain(
      'need at least two teams',
    );
    await page.screenshot({
      path: join(ARTIFACTS, 'round-picker-report-1280.png'),
      fullPage: true,
    });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${base}/app/units/${ids.platform}/report`);
    const marked = await page
      .locator('#team-agreement tr[data-dimension="decision_rights"]')
      .textContent();
    expect(marked).toContain('low agreement');
    expect(await page.locator('#organisation-statistics tbody tr').count()).toBe(6);
    expect(problems).toEqual([]);
  });
});
