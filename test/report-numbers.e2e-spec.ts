/// <reference lib="dom" />
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import type { QueryRunner } from 'typeorm';
import { FavourableDirection1765300000000 } from '../libs/database/src/migrations/1765300000000-favourable-direction';
import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { resultsCurrent } from './support/results-basis';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

type Profile = 'micromanaged' | 'healthy';

/** One CSV row per person; answers vary a little between people so intervals have width. */
function rows(teamKey: string, people: number, profile: Profile): string[] {
  const value = (dimension: string, reverse: boolean, i: number) => {
    const raw =
      profile === 'micromanaged'
        ? dimension === 'decision_rights'
          ? 1 + (i % 2)
          : dimension === 'over_control'
            ? 5 - (i % 2)
            : 4 - (i % 3 === 0 ? 1 : 0)
        : dimension === 'over_control'
          ? 1 + (i % 2)
          : 4 + (i % 2);
    return reverse ? 6 - raw : raw;
  };
  return Array.from({ length: people }, (_, i) =>
    [
      teamKey,
      ...AUTONOMY_ALIGNMENT_PULSE.items.map((it) => value(it.dimension, it.reverse, i)),
    ].join(','),
  );
}

interface Dimension {
  key: string;
  name: string;
  mean: number;
  favourable: number;
  unfavourable: number;
  percentile: number | null;
}

interface Report {
  latest: {
    shown: boolean;
    respondents: number;
    quadrant?: string | null;
    dimensions?: Dimension[];
  };
  flags: { code: string; explanation: string; evidence: Record<string, unknown> }[];
  items: { key: string; dimension: string; reverse: boolean; tones: string[] }[];
  teams: {
    flagged: number;
    shownTeams: number;
    teams: {
      id: string;
      name: string;
      shown: boolean;
      respondents: number;
      flags: { code: string }[];
    }[];
  } | null;
}

const two = (x: number) => x.toFixed(2);

/**
 * Issue 15's "numbers that mean what they say": favourable is the healthy side of over-control,
 * answers are coloured by how they read, flags quote the figures beside them, a department lists
 * its teams and their flags (never a hidden team's), and members are people, counted once.
 */
describe('report numbers mean what they say', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let hr: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({
      SCHEDULER_TICK_MS: '500',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
    });
    org = await createOrg(t.app, 'numbers');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    const unit = async (name: string, key: string, kind: string, parentId: string) => {
      const res = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name, key, kind, parentId });
      expect(res.status).toBe(201);
      ids[key] = res.body.id as string;
    };
    // Ops: Alpha 7 micromanaged, Beta 6 healthy, Gamma 3 micromanaged (below k, so hidden, and
    // a sibling with it). Delta 6 healthy beside Ops.
    await unit('Ops', 'ops', 'department', org.rootId);
    await unit('Alpha', 'alpha', 'team', ids.ops);
    await unit('Beta', 'beta', 'team', ids.ops);
    await unit('Gamma', 'gamma', 'team', ids.ops);
    await unit('Delta', 'delta', 'team', org.rootId);
    const csv = [
      ['team', ...AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key)].join(','),
      ...rows('alpha', 7, 'micromanaged'),
      ...rows('beta', 6, 'healthy'),
      ...rows('gamma', 3, 'micromanaged'),
      ...rows('delta', 6, 'healthy'),
    ].join('\n');
    const imported = await t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({ periodStart: '2025-03-03', periodEnd: '2025-03-16' })
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
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
  });

  const report = async (unitId: string): Promise<Report> => {
    const res = await t.http.get(`/units/${unitId}/report`).set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const dimension = (r: Report, key: string) => r.latest.dimensions!.find((d) => d.key === key)!;

  it('favourable on Over-control is the share reporting little control: a micromanaged team has none', async () => {
    const alpha = await report(ids.alpha);
    const delta = await report(ids.delta);
    expect(alpha.latest.shown).toBe(true);
    expect(delta.latest.shown).toBe(true);
    // Alpha answered 5 and 4 to over-control statements; Delta 1 and 2.
    expect(dimension(alpha, 'over_control')).toMatchObject({ favourable: 0, unfavourable: 1 });
    expect(dimension(delta, 'over_control')).toMatchObject({ favourable: 1, unfavourable: 0 });
    // Elsewhere favourable still means agreeing with the healthy statements.
    expect(dimension(delta, 'decision_rights')).toMatchObject({ favourable: 1 });
    expect(dimension(alpha, 'decision_rights')).toMatchObject({ favourable: 0, unfavourable: 1 });
  });

  it('colours each answer by how it reads, after reverse keying and direction', async () => {
    const alpha = await report(ids.alpha);
    const plainControl = alpha.items.find((i) => i.dimension === 'over_control' && !i.reverse)!;
    expect(plainControl.tones).toEqual([
      'favourable',
      'favourable',
      'neutral',
      'unfavourable',
      'unfavourable',
    ]);
    const reversedSafety = alpha.items.find((i) => i.dimension === 'psych_safety' && i.reverse)!;
    expect(reversedSafety.tones[0]).toBe('favourable');
    expect(reversedSafety.tones[4]).toBe('unfavourable');
  });

  it('flag texts quote the figures and names the report shows', async () => {
    const alpha = await report(ids.alpha);
    const flag = alpha.flags.find((f) => f.code === 'micromanagement')!;
    expect(flag).toBeDefined();
    const autonomy = dimension(alpha, 'decision_rights');
    const control = dimension(alpha, 'over_control');
    expect(flag.explanation).toContain(`${autonomy.name} ${two(autonomy.mean)} of 5`);
    expect(flag.explanation).toContain(`${control.name} ${two(control.mean)} of 5`);
    expect(flag.evidence['purpose_clarity.mean']).toBe(
      Number(two(dimension(alpha, 'purpose_clarity').mean)),
    );
    expect(flag.evidence['alignment.mean']).toBe(Number(two(dimension(alpha, 'alignment').mean)));
    for (const f of alpha.flags) expect(f.explanation).not.toMatch(/leader support/i);
  });

  it('a department lists its teams and their flags, saying nothing of a hidden team', async () => {
    const ops = await report(ids.ops);
    expect(ops.latest).toMatchObject({ shown: true, respondents: 16, quadrant: null });
    const byName = new Map(ops.teams!.teams.map((line) => [line.name, line]));
    expect([...byName.keys()].sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(byName.get('Alpha')).toMatchObject({ shown: true, respondents: 7 });
    expect(byName.get('Alpha')!.flags.map((f) => f.code)).toContain('micromanagement');
    // Gamma's 3 are below k; its flags (it is micromanaged too) are not even computed, let alone told.
    expect(byName.get('Gamma')).toMatchObject({ shown: false, respondents: 3, flags: [] });
    for (const line of ops.teams!.teams) if (!line.shown) expect(line.flags).toEqual([]);
    expect(ops.teams!.flagged).toBe(1);
    // A team is not a group of teams: no summary.
    expect((await report(ids.alpha)).teams).toBeNull();
  });

  it('counts a department’s members as the distinct people of its teams', async () => {
    // The member of Platform joins Sales as well: one person in two teams.
    const added = await t.http
      .post(`/units/${org.otherTeamId}/members`)
      .set('authorization', `Bearer ${hr}`)
      .send({ personId: org.member.id, role: 'member' });
    expect(added.status).toBe(204);
    const count = async (unitId: string) => {
      const res = await t.http.get(`/units/${unitId}`).set('authorization', `Bearer ${hr}`);
      expect(res.status).toBe(200);
      return res.body.memberCount as number;
    };
    // Platform: other-leader and member, plus sub-member of Platform Data below it.
    expect(await count(org.teamId)).toBe(3);
    expect(await count(org.subTeamId)).toBe(1);
    expect(await count(org.otherTeamId)).toBe(2);
    expect(await count(org.deptId)).toBe(3);
    // Five memberships, four people.
    expect(await count(org.rootId)).toBe(4);
  });

  async function signedIn(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
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

  async function shoot(page: Page, name: string): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await page.screenshot({ path: join(ARTIFACTS, `${name}-375.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 375, height: 740 });
  }

  it('the department page names its flagged teams with links, never "unknown"', async () => {
    const { page, problems } = await signedIn();
    await page.goto(`${base}/app/units/${ids.ops}/report`);
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/unknown/i);
    expect(text).not.toMatch(/Nothing was flagged this round/);
    expect(await page.locator('#quadrant').innerText()).toMatch(
      /not applicable to a group of teams/,
    );
    expect(await page.locator('#teams-flagged').innerText()).toMatch(/^1 team was flagged/);
    const alpha = page.locator(`li[data-team="${ids.alpha}"]`);
    expect(await alpha.locator('a').getAttribute('href')).toBe(`/app/units/${ids.alpha}/report`);
    expect(await alpha.innerText()).toMatch(/Micromanagement risk/);
    const gamma = page.locator(`li[data-team="${ids.gamma}"]`);
    expect(await gamma.innerText()).toMatch(/Results not shown/);
    expect(await gamma.locator('[data-flag]').count()).toBe(0);
    await shoot(page, 'report-numbers-department');
    expect(problems).toEqual([]);
  });

  it('the team page colours answers by tone, shows favourable and percentile, and its flag card quotes the table', async () => {
    const { page, problems } = await signedIn();
    await page.goto(`${base}/app/units/${ids.alpha}/report`);
    const alpha = await report(ids.alpha);
    const control = dimension(alpha, 'over_control');
    // The scores table (folded away in <details>, so its text rather than what is rendered).
    const row = page.locator(
      'table:has(caption:has-text("Scores on")) tr:has(th:text-is("Over-control"))',
    );
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells[0]).toBe(two(control.mean));
    expect(cells).toContain('0 %');
    expect(cells).toContain(String(Math.round(control.percentile!)));
    const card = await page.locator('[data-flag="micromanagement"] .evidence').innerText();
    expect(card).toContain(`Over-control ${two(control.mean)}`);
    expect(card).toContain(`alignment index (Clarity of purpose and Alignment averaged)`);
    expect(card).toContain(
      `Clarity of purpose ${two(dimension(alpha, 'purpose_clarity').mean)} and Alignment ${two(dimension(alpha, 'alignment').mean)}`,
    );
    // An over-control statement's "strongly agree" cell is unfavourable; the legend says why.
    const controlItems = alpha.items.filter((i) => i.dimension === 'over_control');
    const at = controlItems.findIndex((i) => !i.reverse);
    expect(at).toBeGreaterThanOrEqual(0);
    const tones = await page
      .locator('table', {
        has: page.locator('caption', { hasText: 'Over-control: people per answer' }),
      })
      .locator('tbody tr')
      .nth(at)
      .locator('td[data-tone]')
      .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-tone')));
    expect(tones).toEqual(['favourable', 'favourable', 'neutral', 'unfavourable', 'unfavourable']);
    expect(await page.locator('ul.legend li.tone-favourable').first().innerText()).toMatch(
      /favourable/,
    );
    // The chart draws the same colours: a blue "strongly disagree" on the over-control chart.
    await page.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart: (c: Element) => unknown } };
      return !!w.Chart && !!w.Chart.getChart(document.getElementById('chart-items-over_control')!);
    });
    const colours = await page.evaluate((item) => {
      const w = window as unknown as {
        Chart: {
          getChart: (c: Element) => { data: { datasets: { backgroundColor: string[] }[] } };
        };
      };
      const chart = w.Chart.getChart(document.getElementById('chart-items-over_control')!);
      return chart.data.datasets.map((d) => d.backgroundColor[item]);
    }, at);
    expect(colours[0]).toBe('#2166ac');
    expect(colours[4]).toBe('#b2182b');
    await shoot(page, 'report-numbers-team');
    expect(problems).toEqual([]);
  });

  it('the migration re-derives rounds stored with the old over-control favourable', async () => {
    // As the old code stored it: agreeing with over-control counted as favourable.
    await t.db.query(
      `update unit_result set favourable = 1, unfavourable = 0 where unit_id = $1 and dimension = 'over_control'`,
      [ids.alpha],
    );
    const stored = async () =>
      (
        await t.db.query<{ favourable: number }>(
          `select favourable from unit_result where unit_id = $1 and dimension = 'over_control' and not rollup`,
          [ids.alpha],
        )
      ).rows[0]?.favourable;
    expect(await stored()).toBe(1);
    const runner = { query: (sql: string) => t.db.query(sql) } as unknown as QueryRunner;
    await new FavourableDirection1765300000000().up(runner);
    await resultsCurrent(t, org.orgId);
    expect(await stored()).toBe(0);
  }, 120_000);
});
