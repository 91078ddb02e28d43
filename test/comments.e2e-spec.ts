import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AuthService } from '@trellis/identity';
import { PeopleService, UnitsService } from '@trellis/organisation';
import { RoundsService } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { answersFor, mintLinks, type Link } from './support/links';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Comments through the real pulse API to the people who read them. Product has three teams,
 * with k = 3 and a comment minimum of 3 people:
 * - Alpha: 4 people comment → its comments are read at Alpha;
 * - Beta: 3 people comment → would be enough, but Gamma's rise to Product and would be the
 *   department's pool minus Alpha's and Beta's, so Beta's rise too (no subtraction);
 * - Gamma: 2 people comment, with 6 comments between them → too few *people*, so they rise.
 * A department has no leaders of its own (people belong to teams), so HR reads what rose there.
 */
const MIN = 3;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('comments: themed, placed, read, marked and exported', () => {
  let t: TestApp;
  let org: OrgFixture;
  let browser: Browser | undefined;
  let roundId: string;
  const unit: Record<'product' | 'alpha' | 'beta' | 'gamma', string> = {} as never;
  let hr: string;
  let alphaLeader: string;
  let dimensions: { key: string; name: string }[];
  let spare: Link;
  const written: Record<'alpha' | 'beta' | 'gamma', string[]> = { alpha: [], beta: [], gamma: [] };

  const get = (token: string, path: string) =>
    t.http.get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT: '1000', SIGN_IN_ADDRESS_LIMIT: '1000' });
    org = await createOrg(t.app, 'comments');
    await t.db.query(
      `update organisation set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{anonymity}', $2::jsonb) where id = $1`,
      [org.orgId, JSON.stringify({ minGroupSize: MIN, minCommentGroup: MIN })],
    );
    const units = t.app.get(UnitsService);
    const people = t.app.get(PeopleService);
    const auth = t.app.get(AuthService);
    unit.product = (
      await units.create(org.orgId, { name: 'Product', key: 'product', kind: 'department' })
    ).id;
    for (const name of ['alpha', 'beta', 'gamma'] as const) {
      unit[name] = (
        await units.create(org.orgId, {
          name: `Team ${name}`,
          key: name,
          kind: 'team',
          parentId: unit.product,
        })
      ).id;
      for (let i = 0; i < 4; i++) {
        const p = await people.create(org.orgId, {
          email: `${name}${i}@comments.test`,
          name: `${name} ${i}`,
        });
        await people.addMembership(unit[name], p.id, 'member');
      }
    }
    const leaderOf = async (local: string, unitId: string) => {
      const p = await people.create(org.orgId, { email: `${local}@comments.test`, name: local });
      await auth.setPassword(p.id, PASSWORD);
      await people.addMembership(unitId, p.id, 'leader');
      return signIn(t.http, `${local}@comments.test`);
    };
    alphaLeader = await leaderOf('alpha-lead', unit.alpha);
    hr = await signIn(t.http, org.hr.email);

    ({ roundId } = await openRoundNow(t.app, org, {
      teamIds: [unit.alpha, unit.beta, unit.gamma],
      leaderSelfView: false,
    }));
    const links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
    const byTeam = (id: string): Link[] => links.filter((l) => l.unitId === id);
    const form = await t.http.get(`/pulse/${links[0].token}`);
    expect(form.status).toBe(200);
    dimensions = form.body.dimensions;
    expect(dimensions.length).toBeGreaterThan(1);
    const [first, second] = dimensions;
    const send = async (link: Link, body: object) => {
      const res = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items), ...body });
      expect(res.status).toBe(201);
    };
    const plan: [keyof typeof written, number][] = [
      ['alpha', 4],
      ['beta', 3],
      ['gamma', 2],
    ];
    for (const [name, commenters] of plan) {
      const team = byTeam(unit[name]);
      for (const [i, link] of team.entries()) {
        if (name === 'gamma' && i === team.length - 1) {
          spare = link; // answers nothing: the refusal below needs an unused link
          continue;
        }
        if (i >= commenters) {
          await send(link, {});
          continue;
        }
        const general = `${name} general ${i} Needle`;
        const themed = `${name} on ${first.key} ${i}`;
        written[name].push(general, themed);
        const comments = [{ dimension: first.key, text: themed }];
        if (name === 'gamma') {
          const more = `${name} on ${second.key} ${i}`;
          written[name].push(more);
          comments.push({ dimension: second.key, text: more });
        }
        if (name === 'alpha' && i === 0) {
          // Through the answering page's form: one box per theme, empty boxes are no comment.
          const fields: Record<string, string> = { comment: general };
          for (const [key, value] of Object.entries(answersFor(form.body.items)))
            fields[`answers[${key}]`] = String(value);
          for (const d of dimensions)
            fields[`comments[${d.key}]`] = d.key === first.key ? themed : '';
          const page = await t.http.post(`/r/${link.token}`).type('form').send(fields);
          expect(page.status).toBe(200);
          expect(page.text).toContain('Thank you');
          continue;
        }
        await send(link, { comment: general, comments });
      }
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a second comment on one theme and a theme the form does not ask, by field', async () => {
    const link = spare;
    const form = await t.http.get(`/pulse/${link.token}`);
    expect(form.status).toBe(200);
    const res = await t.http.post(`/pulse/${link.token}`).send({
      answers: answersFor(form.body.items),
      comments: [
        { dimension: dimensions[0].key, text: 'a' },
        { dimension: dimensions[0].key, text: 'b' },
        { dimension: 'not_asked', text: 'c' },
      ],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('comments.1.dimension');
    expect(JSON.stringify(res.body)).toContain('comments.2.dimension');
  });

  it('shows nothing of an open round', async () => {
    const res = await get(hr, `/units/${unit.product}/comments`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', comments: [], total: 0 });
    const csv = await get(hr, `/organisations/${org.orgId}/comments.csv?round=${roundId}`);
    expect(csv.text).toBe('round,unit,theme,comment\r\n');
    // Nothing was placed (so nothing frozen) while the round was open.
    const { rows } = await t.db.query(`select 1 from comment_placement where round_id = $1`, [
      roundId,
    ]);
    expect(rows).toEqual([]);
  });

  it('stores one sealed row per person who commented, with nothing that joins it to a person or a response', async () => {
    expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
    const { rows: columns } = await t.db.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_name = 'comment' order by column_name`,
    );
    expect(columns).toEqual([
      // The keyed hash of the author's conversation link (conversations.e2e-spec.ts).
      { column_name: 'conversation', data_type: 'bytea' },
      { column_name: 'id', data_type: 'uuid' },
      { column_name: 'organisation_id', data_type: 'uuid' },
      { column_name: 'round_id', data_type: 'uuid' },
      { column_name: 'sealed', data_type: 'bytea' },
      { column_name: 'submitted_on', data_type: 'date' },
      { column_name: 'unit_id', data_type: 'uuid' },
    ]);
    const { rows } = await t.db.query<{ unit_id: string; n: number }>(
      `select unit_id, count(*)::int as n from comment where round_id = $1 group by unit_id`,
      [roundId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.unit_id, r.n]))).toEqual({
      [unit.alpha]: 4,
      [unit.beta]: 3,
      [unit.gamma]: 2,
    });
    // No comment id is an id of anything else: a response, an invitation, a person.
    const { rows: shared } = await t.db.query(
      `select c.id from comment c where c.round_id = $1 and (
         exists (select 1 from response r where r.id = c.id) or exists (select 1 from invitation i where i.id = c.id)
         or exists (select 1 from person p where p.id = c.id))`,
      [roundId],
    );
    expect(shared).toEqual([]);
    // No plaintext anywhere in the row.
    const { rows: sealed } = await t.db.query<{ sealed: Buffer }>(
      `select sealed from comment where round_id = $1`,
      [roundId],
    );
    for (const row of sealed) expect(row.sealed.toString('latin1')).not.toMatch(/general|Needle/);
  });

  it('reads a short team’s comments at the department, counted in people, not at the team', async () => {
    const gamma = await get(hr, `/units/${unit.gamma}/comments`);
    expect(gamma.status).toBe(200);
    expect(gamma.body).toMatchObject({ status: 'none', comments: [], authors: 0 });

    const product = await get(hr, `/units/${unit.product}/comments`);
    expect(product.status).toBe(200);
    expect(product.body.status).toBe('shown');
    expect(product.body.authors).toBe(5);
    const texts = product.body.comments.map((c: { text: string }) => c.text);
    expect([...texts].sort()).toEqual([...written.beta, ...written.gamma].sort());
    // Ordered by text alone.
    expect(texts).toEqual([...texts].sort((a: string, b: string) => (a < b ? -1 : 1)));
    expect(product.body.below).toEqual([{ unitId: unit.alpha, name: 'Team alpha', authors: 4 }]);
    for (const c of product.body.comments) {
      expect(Object.keys(c).sort()).toEqual([
        'dimension',
        'hidden',
        'id',
        'mark',
        'replies',
        'text',
        'theme',
      ]);
      expect(c.id).not.toMatch(UUID);
    }

    const alpha = await get(alphaLeader, `/units/${unit.alpha}/comments`);
    expect(alpha.body).toMatchObject({ status: 'shown', authors: 4 });
    expect(alpha.body.comments.map((c: { text: string }) => c.text).sort()).toEqual(
      [...written.alpha].sort(),
    );
  });

  it('lets a leader of another team read neither the department’s nor a sibling’s comments', async () => {
    expect((await get(alphaLeader, `/units/${unit.product}/comments`)).status).toBe(403);
    expect((await get(alphaLeader, `/units/${unit.gamma}/comments`)).status).toBe(403);
    expect((await get(alphaLeader, `/app/units/${unit.beta}/comments`)).status).toBe(403);
    expect((await get(alphaLeader, `/organisations/${org.orgId}/comments.csv`)).status).toBe(403);
  });

  it('filters by theme and by words, case-insensitively, with counts per theme over the pool', async () => {
    const [first, second] = dimensions;
    const all = await get(hr, `/units/${unit.product}/comments`);
    expect(all.body.themes).toEqual(
      expect.arrayContaining([
        { key: first.key, name: first.name, count: 5 },
        { key: second.key, name: second.name, count: 2 },
        { key: 'general', name: 'General', count: 5 },
      ]),
    );
    const themed = await get(hr, `/units/${unit.product}/comments?dimension=${second.key}`);
    expect(themed.body.comments.map((c: { text: string }) => c.text).sort()).toEqual(
      written.gamma.filter((x) => x.includes(second.key)).sort(),
    );
    const general = await get(hr, `/units/${unit.product}/comments?dimension=general`);
    expect(general.body.comments).toHaveLength(5);
    const words = await get(hr, `/units/${unit.product}/comments?q=nEEdle`);
    expect(words.body.comments).toHaveLength(5);
    expect(words.body.total).toBe(12);
    const bad = await get(hr, `/units/${unit.product}/comments?dimension=Not%20a%20key`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('dimension');
  });

  it('keeps a round’s placement after a reorganisation: no second family of pools to subtract', async () => {
    const before = await get(hr, `/units/${unit.product}/comments`);
    await t.db.query(`update unit set parent_id = $1 where id = $2`, [org.rootId, unit.gamma]);
    try {
      const after = await get(hr, `/units/${unit.product}/comments`);
      expect(after.body.comments.map((c: { id: string }) => c.id)).toEqual(
        before.body.comments.map((c: { id: string }) => c.id),
      );
      expect((await get(hr, `/units/${unit.gamma}/comments`)).body.status).toBe('none');
    } finally {
      await t.db.query(`update unit set parent_id = $1 where id = $2`, [unit.product, unit.gamma]);
    }
  });

  it('marks a comment acknowledged or acted on, for the unit’s readers, keyed so it links nothing', async () => {
    const { body } = await get(hr, `/units/${unit.product}/comments`);
    const target = body.comments[0];
    const marked = await t.http
      .post(`/units/${unit.product}/comments/${target.id}/mark`)
      .set('authorization', `Bearer ${hr}`)
      .send({ round: roundId, status: 'acted_on' });
    expect(marked.status).toBe(201);
    expect(marked.body.mark).toEqual({ status: 'acted_on', commitmentId: null });
    const seen = await get(hr, `/units/${unit.product}/comments`);
    expect(seen.body.comments.find((c: { id: string }) => c.id === target.id).mark).toEqual({
      status: 'acted_on',
      commitmentId: null,
    });
    // A comment not shown at this unit cannot be marked here.
    const alpha = await get(hr, `/units/${unit.alpha}/comments`);
    const elsewhere = await t.http
      .post(`/units/${unit.product}/comments/${alpha.body.comments[0].id}/mark`)
      .set('authorization', `Bearer ${hr}`)
      .send({ round: roundId, status: 'acknowledged' });
    expect(elsewhere.status).toBe(404);
    // A mark may point at one of the unit's own commitments, not another unit's.
    const commitment = await t.http
      .post(`/units/${unit.alpha}/commitments`)
      .set('authorization', `Bearer ${alphaLeader}`)
      .send({
        action: 'Plan together',
        owner: 'Lead',
        dueOn: '2030-01-31',
        dimension: dimensions[0].key,
      });
    expect(commitment.status).toBe(201);
    const alphaComment = alpha.body.comments[1].id;
    const linked = await t.http
      .post(`/units/${unit.alpha}/comments/${alphaComment}/mark`)
      .set('authorization', `Bearer ${alphaLeader}`)
      .send({ round: roundId, status: 'acknowledged', commitmentId: commitment.body.id });
    expect(linked.status).toBe(201);
    expect(linked.body.mark).toEqual({ status: 'acknowledged', commitmentId: commitment.body.id });
    const foreign = await t.http
      .post(`/units/${unit.product}/comments/${target.id}/mark`)
      .set('authorization', `Bearer ${hr}`)
      .send({ round: roundId, status: 'acknowledged', commitmentId: commitment.body.id });
    expect(foreign.status).toBe(400);
    expect(JSON.stringify(foreign.body)).toContain('commitmentId');
    await t.http
      .post(`/units/${unit.alpha}/comments/${alphaComment}/mark`)
      .set('authorization', `Bearer ${alphaLeader}`)
      .send({ round: roundId, status: 'none' })
      .expect(201);
    const { rows: marks } = await t.db.query(
      `select m.* from comment_mark m where m.round_id = $1`,
      [roundId],
    );
    expect(marks).toHaveLength(1);
    expect(marks[0].comment_key).toBe(target.id);
    const { rows: byKey } = await t.db.query(
      `select 1 from comment c where c.id::text = $1 or encode(c.sealed, 'base64') like '%' || $1 || '%'`,
      [target.id],
    );
    expect(byKey).toEqual([]);
    const { rows: audit } = await t.db.query(
      `select 1 from audit_event where action = 'comment.mark' and target_id = $1`,
      [unit.product],
    );
    expect(audit).toHaveLength(1);
  });

  it('exports what is shown for HR: round, unit, theme, text; no ids, no dates finer than the round', async () => {
    const res = await get(hr, `/organisations/${org.orgId}/comments.csv?round=${roundId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('round,unit,theme,comment');
    expect(lines).toHaveLength(
      1 + written.alpha.length + written.beta.length + written.gamma.length,
    );
    expect(res.text).not.toMatch(UUID);
    expect(res.text).not.toMatch(/\d{2}:\d{2}/);
    for (const text of written.gamma)
      expect(lines.some((l) => l.includes(',Product,') && l.endsWith(text))).toBe(true);
    for (const text of written.alpha)
      expect(lines.some((l) => l.includes(',Team alpha,') && l.endsWith(text))).toBe(true);
    const list = await get(hr, `/organisations/${org.orgId}/comments?round=${roundId}`);
    expect(list.body.pools).toEqual([
      { unitId: unit.product, name: 'Product', authors: 5, comments: 12 },
      { unitId: unit.alpha, name: 'Team alpha', authors: 4, comments: 8 },
    ]);
  });

  it('shows the comments page on a phone and a desktop, accessible', async () => {
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    for (const [width, height] of [
      [375, 740],
      [1280, 900],
    ]) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Email').fill(org.hr.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/app`);
      const res = await page.goto(`${base}/app/units/${unit.product}/comments`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Comments · Product');
      expect(await page.locator('.comment-text').count()).toBe(12);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `comments-${width}.png`), fullPage: true });
      // Marking through the page comes back to the same pool with the mark shown.
      const first = page.locator('li.comment').first();
      await first.getByLabel('Mark', { exact: true }).selectOption('acknowledged');
      await first.getByRole('button', { name: 'Save mark' }).click();
      await page.waitForURL(/saved=1/);
      expect(await page.getByRole('status').first().textContent()).toContain('Mark saved');
      expect(await page.locator('li.comment').first().locator('.pill').textContent()).toBe(
        'Acknowledged',
      );
      // HR's list of the units with a pool, with the download.
      await page.goto(`${base}/app/organisations/${org.orgId}/comments`);
      expect(await page.locator('h1').textContent()).toBe('Comments by unit');
      expect(await page.locator('ul.comment-list > li').allInnerTexts()).toEqual([
        expect.stringContaining('Product'),
        expect.stringContaining('Team alpha'),
      ]);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `comments-hr-${width}.png`), fullPage: true });
      const href = await page
        .getByRole('link', { name: 'Download these comments (CSV)' })
        .getAttribute('href');
      const download = await context.request.get(`${base}${href}`);
      expect(download.status()).toBe(200);
      expect((await download.text()).split('\r\n')[0]).toBe('round,unit,theme,comment');
      await context.close();
    }
  }, 120_000);
});
