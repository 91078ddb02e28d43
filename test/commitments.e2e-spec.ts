/// <reference lib="dom" />
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

const FUTURE = '2030-01-31';
const PAST = '2020-06-30';

/**
 * Commitments after they are made: a leader edits one, marks it done or dropped with a note, sees
 * it overdue when its day has passed while it is still open, and cannot move its date into the
 * past; the JSON API and the edit page share one use case, its rules, access and audit entries.
 */
describe('commitments: edit, done, dropped, overdue', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  let browser: Browser;
  let base: string;
  let hr: string;
  let leader: string;
  let otherLeader: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'commitments');
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    otherLeader = await signIn(t.http, org.otherLeader.email);
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-03-03', periodEnd: '2025-03-16' },
      historyCsv([
        ...historyRows('platform', 6, 'micromanaged'),
        ...historyRows('sales', 6, 'healthy'),
      ]),
    );
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await worker?.close();
    await t?.close();
  });

  const api = (token: string) => ({
    create: (body: Record<string, unknown>) =>
      t.http
        .post(`/units/${org.teamId}/commitments`)
        .set('authorization', `Bearer ${token}`)
        .send(body),
    patch: (id: string, body: Record<string, unknown>) =>
      t.http.patch(`/commitments/${id}`).set('authorization', `Bearer ${token}`).send(body),
    list: () =>
      t.http.get(`/units/${org.teamId}/commitments`).set('authorization', `Bearer ${token}`),
  });
  const good = {
    action: 'Vet the plan together before work starts',
    owner: 'The team lead',
    dueOn: FUTURE,
    dimension: 'leader_support',
  };
  const count = async () =>
    (await t.db.query<{ n: number }>('select count(*)::int as n from commitment')).rows[0].n;
  const auditOf = async (action: string) =>
    (
      await t.db.query<{ email: string; targetId: string; detail: Record<string, unknown> }>(
        `select actor_email as email, target_id as "targetId", detail from audit_event
          where action = $1 order by id`,
        [action],
      )
    ).rows;
  /** As if days had passed: the due date moves back, the way the calendar would move forward. */
  const letTimePass = (id: string) =>
    t.db.query(`update commitment set due_on = current_date - 3 where id = $1`, [id]);

  it('refuses a due date in the past and an empty action in words for people, naming the fields', async () => {
    const res = await api(leader).create({ ...good, action: '  ', dueOn: PAST });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'action', message: 'Say what the team will try' },
      { field: 'dueOn', message: 'Pick a date from today on' },
    ]);
    expect(await count()).toBe(0);
    expect(await auditOf('commitment.create')).toEqual([]);
  });

  it('lets the leader edit a commitment and mark it done with a note, audited', async () => {
    const created = await api(leader).create(good);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', overdue: false, note: null });
    const id = created.body.id as string;

    const edited = await api(leader).patch(id, {
      action: 'Vet the plan together, and a check-in to clear roadblocks',
      owner: 'Ana',
      dueOn: '2030-03-31',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      action: 'Vet the plan together, and a check-in to clear roadblocks',
      owner: 'Ana',
      dueOn: '2030-03-31',
      status: 'open',
    });

    const past = await api(leader).patch(id, { dueOn: PAST });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'dueOn', message: 'Pick a date from today on' }]);

    const done = await api(leader).patch(id, { status: 'done', note: 'The team plans first now' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'done',
      note: 'The team plans first now',
      overdue: false,
      dueOn: '2030-03-31',
    });

    expect(await auditOf('commitment.create')).toEqual([
      {
        email: org.leader.email,
        targetId: org.teamId,
        detail: { commitmentId: id, dimension: 'leader_support', dueOn: FUTURE },
      },
    ]);
    // Two changes went through; the refused one left no entry.
    expect(await auditOf('commitment.update')).toEqual([
      {
        email: org.leader.email,
        targetId: org.teamId,
        detail: {
          commitmentId: id,
          fields: ['action', 'owner', 'dueOn'],
          dueOn: '2030-03-31',
        },
      },
      {
        email: org.leader.email,
        targetId: org.teamId,
        detail: { commitmentId: id, fields: ['status', 'note'], status: 'done' },
      },
    ]);
  });

  it('shows an open commitment overdue once its day has passed, and lets it be dropped keeping its date', async () => {
    const created = await api(leader).create({ ...good, action: 'A weekly decision log' });
    const id = created.body.id as string;
    await letTimePass(id);
    const listed = (await api(leader).list()).body as {
      id: string;
      overdue: boolean;
      dueOn: string;
    }[];
    const overdue = listed.find((c) => c.id === id)!;
    expect(overdue.overdue).toBe(true);
    // Closed ones are never overdue, whatever their date.
    const closed = listed.filter((c) => c.id !== id);
    expect(closed.length).toBeGreaterThan(0);
    for (const c of closed) expect(c.overdue).toBe(false);

    // The report carries it too.
    const report = await t.http
      .get(`/units/${org.teamId}/report`)
      .set('authorization', `Bearer ${leader}`);
    expect(report.body.commitments.find((c: { id: string }) => c.id === id).overdue).toBe(true);

    // Its own (past) date may be sent back with the change; dropping it ends "overdue".
    const dropped = await api(leader).patch(id, {
      dueOn: overdue.dueOn,
      status: 'dropped',
      note: 'Nobody read the log',
    });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({
      status: 'dropped',
      overdue: false,
      note: 'Nobody read the log',
    });
    // Reopened, it is overdue again.
    const reopened = await api(leader).patch(id, { status: 'open', note: '' });
    expect(reopened.body).toMatchObject({ status: 'open', overdue: true, note: null });
  });

  it('refuses another team’s leader, by the API and the page, and changes nothing', async () => {
    const created = await api(hr).create({ ...good, action: 'Only Platform may change this' });
    const id = created.body.id as string;
    const refused = await api(otherLeader).patch(id, { status: 'done' });
    expect(refused.status).toBe(403);
    const page = await t.http
      .get(`/app/commitments/${id}`)
      .set('cookie', `trellis_session=${otherLeader}`);
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('Only Platform may change this');
    const { rows } = await t.db.query(
      `select status, updated_at = created_at as untouched from commitment where id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'open', untouched: true }]);
    // An id that is no commitment is a 404, not a 500.
    const missing = await api(leader).patch('00000000-0000-4000-8000-000000000000', {
      status: 'done',
    });
    expect(missing.status).toBe(404);
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    return page;
  }

  it('on the page: marks the overdue one, explains a past date beside its field, and drops it with a note', async () => {
    const created = await api(leader).create({ ...good, action: 'Demo the work every Friday' });
    const id = created.body.id as string;
    await letTimePass(id);
    const page = await signedIn(org.leader.email);
    await page.goto(`${base}/app/units/${org.teamId}/report`);
    const item = page.locator(`#commitment-${id}`);
    expect(await item.locator('.pill.overdue').innerText()).toBe('Overdue');
    await item.screenshot({ path: join(ARTIFACTS, 'commitment-overdue-375.png') });

    await item.getByRole('link', { name: /Edit, mark done or drop/ }).click();
    await page.waitForURL(`${base}/app/commitments/${id}`);
    expect(await page.locator('h1').innerText()).toBe('Commitment of Platform');
    expect(await page.getByLabel('What the team will try').inputValue()).toBe(
      'Demo the work every Friday',
    );
    expect(await page.getByRole('radio', { name: /^Open/ }).isChecked()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'commitment-edit-375.png'), fullPage: true });

    // A past date the commitment did not have: refused, beside its field, nothing changed.
    await page.evaluate(() =>
      document.querySelector('form.commitment-form')?.setAttribute('novalidate', ''),
    );
    await page.getByLabel('By when').fill('2021-01-01');
    const sent = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save' }).click();
    expect((await sent).status()).toBe(400);
    expect(await page.getByRole('alert').innerText()).toContain('Pick a date from today on');
    expect(await page.locator('#dueOn-error').innerText()).toBe('Pick a date from today on');
    expect(await page.getByLabel('By when').getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    const { rows: unchanged } = await t.db.query(
      `select status, due_on = current_date - 3 as "sameDate" from commitment where id = $1`,
      [id],
    );
    expect(unchanged).toEqual([{ status: 'open', sameDate: true }]);

    // Back to its own date, dropped, with a note.
    const own = (await api(leader).list()).body.find((c: { id: string }) => c.id === id).dueOn;
    await page.getByLabel('By when').fill(own);
    await page.getByRole('radio', { name: /^Dropped/ }).check();
    await page.getByLabel('Note (optional)').fill('Fridays were full of incidents');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${base}/app/units/${org.teamId}/report#commitment-${id}`);
    const after = page.locator(`#commitment-${id}`);
    expect(await after.locator('.pill.overdue').count()).toBe(0);
    expect(await after.innerText()).toContain('Dropped');
    expect(await after.innerText()).toContain('Note: Fridays were full of incidents');
    await after.screenshot({ path: join(ARTIFACTS, 'commitment-dropped-375.png') });
    const { rows } = await t.db.query(`select status, note from commitment where id = $1`, [id]);
    expect(rows).toEqual([{ status: 'dropped', note: 'Fridays were full of incidents' }]);
    expect((await auditOf('commitment.update')).at(-1)).toMatchObject({
      email: org.leader.email,
      detail: { commitmentId: id, status: 'dropped' },
    });
  });
});
