import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import {
  ExportJobsService,
  TooManyRows,
  TREND_COLUMNS,
  TrendExportService,
} from '@trellis/exports';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import { resultsCurrent } from './support/results-basis';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

type Row = Record<string, string>;

/** A binary response body as a Buffer (supertest leaves unknown types unparsed otherwise). */
function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

const num = (cell: string | undefined) => (cell === '' || cell === undefined ? null : Number(cell));
const close = (a: number | null, b: number | null, digits: number) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 0.5 * 10 ** -digits + 1e-9;

describe('exports: trend data as CSV, XLSX, background jobs and the data API', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let hr: string;
  let leader: string;
  let infraId: string;
  const rounds: string[] = [];
  const exportDir = mkdtempSync(join(tmpdir(), 'trellis-exports-'));

  beforeAll(async () => {
    const env = { SCHEDULER_TICK_MS: '500', EXPORT_DIR: exportDir };
    t = await createTestApp(env);
    org = await createOrg(t.app, 'exports');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    const infra = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'Infra', key: 'infra', kind: 'team', parentId: org.deptId });
    infraId = infra.body.id;
    // Platform 6 with Platform Data 2 below it (hidden), Infra 3 (hidden), Sales 7.
    const csv = (pattern: 'micromanaged' | 'healthy') =>
      historyCsv([
        ...historyRows('platform', 6, pattern),
        ...historyRows('platform-data', 2, pattern),
        ...historyRows('infra', 3, pattern),
        ...historyRows('sales', 7, pattern),
      ]);
    rounds.push(
      await importRound(
        t,
        org.orgId,
        hr,
        { periodStart: '2025-03-03', periodEnd: '2025-03-16' },
        csv('healthy'),
      ),
      await importRound(
        t,
        org.orgId,
        hr,
        { periodStart: '2025-03-17', periodEnd: '2025-03-30' },
        csv('micromanaged'),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const csvRows = async (query: Record<string, string> = {}, token = hr): Promise<Row[]> => {
    const res = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.csv`)
      .query(query)
      .set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="trellis-trends-/);
    return parse<Row>(res.text, { columns: true });
  };

  /** Every page of the data API, `limit` rows at a time; each page is checked on the way. */
  const allPages = async (
    token: string,
    limit: number,
  ): Promise<{ rows: Row[]; pages: number }> => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { rows: Row[]; nextCursor: string | null } } = await t.http
        .get(`/organisations/${org.orgId}/data/trends`)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body.rows.length).toBeLessThanOrEqual(limit);
      rows.push(...res.body.rows);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    return { rows, pages };
  };
  const rowKey = (r: Row) =>
    `${r.round_id}|${r.unit_id}|${r.dimension}|${r.status}|${r.mean ?? ''}`;

  it('agrees with the report API cell by cell, hidden units included', async () => {
    const rows = await csvRows();
    expect(Object.keys(rows[0])).toEqual([...TREND_COLUMNS]);
    const units = await t.db.query(`select id from unit where organisation_id = $1`, [org.orgId]);
    let compared = 0;
    let suppressed = 0;
    for (const { id: unitId } of units.rows as { id: string }[]) {
      const report = await t.http
        .get(`/units/${unitId}/report`)
        .set('authorization', `Bearer ${hr}`);
      expect(report.status).toBe(200);
      const exported = rows.filter((r) => r.unit_id === unitId);
      const trends = report.body.trends as {
        round: { id: string; periodStart: string; periodEnd: string };
        shown: boolean;
        respondents: number;
        responseRate: number | null;
        quadrant?: string | null;
        dimensions?: {
          key: string;
          n: number;
          mean: number;
          ciLow: number;
          ciHigh: number;
          score: number;
          favourable: number;
          rwgJ: number | null;
        }[];
      }[];
      // A round the report lists has six rows in the export; no other round has any.
      expect(new Set(exported.map((r) => r.round_id))).toEqual(
        new Set(trends.filter((tr) => tr.respondents > 0).map((tr) => tr.round.id)),
      );
      for (const trend of trends) {
        const mine = exported.filter((r) => r.round_id === trend.round.id);
        for (const row of mine) {
          expect(row).toMatchObject({
            period_start: trend.round.periodStart,
            period_end: trend.round.periodEnd,
            respondents: String(trend.respondents),
            status: trend.shown ? 'shown' : 'suppressed',
          });
          if (!trend.shown) {
            suppressed++;
            for (const c of [
              'n',
              'mean',
              'ci_low',
              'ci_high',
              'score_0_100',
              'favourable_pct',
              'rwg_j',
              'quadrant',
              'flags',
            ])
              expect({ [c]: row[c] }).toEqual({ [c]: '' });
            continue;
          }
          const d = trend.dimensions!.find((x) => x.key === row.dimension)!;
          expect(d).toBeDefined();
          expect(num(row.n)).toBe(d.n);
          expect(close(num(row.mean), d.mean, 3)).toBe(true);
          expect(close(num(row.ci_low), d.ciLow, 3)).toBe(true);
          expect(close(num(row.ci_high), d.ciHigh, 3)).toBe(true);
          expect(close(num(row.score_0_100), d.score, 1)).toBe(true);
          expect(close(num(row.favourable_pct), d.favourable * 100, 1)).toBe(true);
          expect(close(num(row.rwg_j), d.rwgJ, 3)).toBe(true);
          expect(row.quadrant).toBe(trend.quadrant ?? '');
          compared++;
        }
        if (trend.shown) expect(mine).toHaveLength(trend.dimensions!.length);
      }
    }
    expect(compared).toBeGreaterThan(30);
    expect(suppressed).toBeGreaterThan(0);
    // The tiny sub-team never appears with a number, in any round.
    const sub = rows.filter((r) => r.unit_id === org.subTeamId);
    expect(sub.length).toBeGreaterThan(0);
    expect(sub.every((r) => r.status === 'suppressed' && r.mean === '')).toBe(true);
    expect(rows.filter((r) => r.unit_id === infraId).every((r) => r.mean === '')).toBe(true);
  });

  it("lists the latest round's flags where the team's own respondents may be shown", async () => {
    const rows = await csvRows();
    const report = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${hr}`);
    const latest = rows.filter((r) => r.unit_id === org.otherTeamId && r.round_id === rounds[1]);
    expect(latest).toHaveLength(6);
    const codes = (report.body.flags as { code: string; level: string }[]).map(
      (f) => `${f.code} (${f.level})`,
    );
    expect(codes).toContain('micromanagement (confirmed)');
    for (const row of latest) expect(row.flags).toBe(codes.join('; '));
  });

  it('filters by unit subtree, dimensions and dates, and refuses bad filters by name', async () => {
    const sub = await csvRows({ unitId: org.teamId, dimensions: 'decision_rights,over_control' });
    expect(new Set(sub.map((r) => r.unit_id))).toEqual(new Set([org.teamId, org.subTeamId]));
    expect(new Set(sub.map((r) => r.dimension))).toEqual(
      new Set(['decision_rights', 'over_control']),
    );
    const late = await csvRows({ from: '2025-03-10' });
    expect(new Set(late.map((r) => r.round_id))).toEqual(new Set([rounds[1]]));
    const bad = [
      [{ from: '2025-02-30' }, 'from'],
      [{ from: '2025-04-01', to: '2025-03-01' }, 'from'],
      [{ unitId: 'platform' }, 'unitId'],
      [{ dimensions: 'Robert"); drop table unit;--' }, 'dimensions'],
    ] as const;
    for (const [query, field] of bad) {
      const res = await t.http
        .get(`/organisations/${org.orgId}/exports/trends.csv`)
        .query(query)
        .set('authorization', `Bearer ${hr}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const elsewhere = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.csv`)
      .query({ unitId: '00000000-0000-4000-8000-000000000000' })
      .set('authorization', `Bearer ${hr}`);
    expect(elsewhere.status).toBe(404);
  });

  it('neutralises cells a spreadsheet would run as a formula; the data API keeps the name as typed', async () => {
    const hostile = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1:A9)'];
    for (const [i, name] of hostile.entries()) {
      const res = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name, key: `hostile-${i}`, kind: 'team', parentId: org.rootId });
      expect(res.status).toBe(201);
    }
    await t.db.query(`update unit set name = $2 where id = $1`, [org.otherTeamId, hostile[0]]);
    const rows = await csvRows();
    const sales = rows.filter((r) => r.unit_path.endsWith('HYPERLINK("http://evil.test","x")'));
    expect(sales.length).toBeGreaterThan(0);
    for (const r of sales) expect(r.team).toBe(`'=HYPERLINK("http://evil.test","x")`);
    for (const r of rows)
      for (const c of ['unit_path', 'team', 'dimension_name'])
        expect(/^[=+\-@\t\r]/.test(r[c])).toBe(false);
    const api = await t.http
      .get(`/organisations/${org.orgId}/data/trends`)
      .set('authorization', `Bearer ${hr}`);
    expect(api.body.rows.some((r: Row) => r.team === '=HYPERLINK("http://evil.test","x")')).toBe(
      true,
    );
    await t.db.query(`update unit set name = 'Sales' where id = $1`, [org.otherTeamId]);
  });

  it('an empty filter field, as a form sends it, means the filter is not set', async () => {
    const all = await csvRows();
    expect(await csvRows({ unitId: '', from: '', to: '' })).toEqual(all);
  });

  it('the export form explains a bad field next to it, keeps what was typed, and creates nothing', async () => {
    const before = await t.db.query('select count(*)::int as n from export');
    for (const [form, field, typed] of [
      [{ format: 'pdf' }, 'format', null],
      [{ format: 'csv', from: '2026-02-30' }, 'from', '2026-02-30'],
      [{ format: 'csv', from: '2026-03-01', to: '2026-01-01' }, 'from', '2026-03-01'],
    ] as const) {
      const res = await t.http
        .post(`/app/organisations/${org.orgId}/exports`)
        .set('authorization', `Bearer ${hr}`)
        .type('form')
        .send(form);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      // The same problem the JSON API gives, led by the field's label and linked to the field.
      const api = await t.http
        .post(`/organisations/${org.orgId}/exports`)
        .set('authorization', `Bearer ${hr}`)
        .send(form);
      expect(api.status).toBe(400);
      const problem = (api.body as { errors: { field: string; message: string }[] }).errors[0];
      expect(problem.field).toBe(field);
      expect(res.text).toContain(`<a href="#${field}">`);
      expect(res.text).toContain(problem.message);
      expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      if (typed) expect(res.text).toContain(`value="${typed}"`);
    }
    const viaGet = await t.http
      .get(`/app/organisations/${org.orgId}/export`)
      .query({ format: 'csv', unitId: 'not-a-unit', mode: 'download' })
      .set('authorization', `Bearer ${hr}`);
    expect(viaGet.status).toBe(400);
    expect(viaGet.text).toMatch(/<a href="#unitId">Part of the organisation: must be a UUID/);
    const after = await t.db.query('select count(*)::int as n from export');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("the export form signed in with a cookie needs the page's CSRF token to start a job", async () => {
    const cookie = `trellis_session=${hr}`;
    const form = { format: 'csv', from: '2025-01-01', unitId: org.otherTeamId };
    const before = await t.db.query('select count(*)::int as n from export');
    const forged = await t.http
      .post(`/app/organisations/${org.orgId}/exports`)
      .set('cookie', cookie)
      .type('form')
      .send(form);
    expect(forged.status).toBe(403);
    const wrong = await t.http
      .post(`/app/organisations/${org.orgId}/exports`)
      .set('cookie', cookie)
      .type('form')
      .send({ ...form, _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await t.db.query('select count(*)::int as n from export')).rows[0].n).toBe(
      before.rows[0].n,
    );
    // "Prepare in the background" shows what will be prepared; its button posts with the token.
    const prepare = await t.http
      .get(`/app/organisations/${org.orgId}/export`)
      .query({ ...form, mode: 'background' })
      .set('cookie', cookie);
    expect(prepare.status).toBe(200);
    expect(prepare.text).toContain('Prepare the CSV file');
    expect(prepare.text).toContain('Sales and the units below it');
    const token = /name="_csrf" value="([^"]+)"/.exec(prepare.text)![1];
    const hidden = Object.fromEntries(
      [
        ...prepare.text.matchAll(
          /<input type="hidden" name="(format|from|to|unitId)" value="([^"]*)"/g,
        ),
      ].map((m) => [m[1], m[2]]),
    );
    expect(hidden).toEqual(form);
    const created = await t.http
      .post(`/app/organisations/${org.orgId}/exports`)
      .set('cookie', cookie)
      .type('form')
      .send({ ...hidden, _csrf: token });
    expect(created.status).toBe(303);
    const id = /^\/app\/exports\/([0-9a-f-]+)$/.exec(created.headers.location)![1];
    const row = await t.db.query('select format, filters from export where id = $1', [id]);
    expect(row.rows[0]).toEqual({
      format: 'csv',
      filters: { from: '2025-01-01', unitId: org.otherTeamId },
    });
    // One audit entry, written by the same service as the JSON API's, with what was asked for.
    const audit = await t.db.query(
      `select detail from audit_event where action = 'export.create' and detail->>'exportId' = $1`,
      [id],
    );
    expect(audit.rows).toHaveLength(1);
    // The job's page, and the export page listing it.
    const status = await t.http.get(`/app/exports/${id}`).set('cookie', cookie);
    expect(status.status).toBe(200);
    expect(status.text).toMatch(/data-status="(queued|running|ready)"/);
    const list = await t.http.get(`/app/organisations/${org.orgId}/exports`).set('cookie', cookie);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-export="${id}"`);
  });

  it('a download cut short fails cleanly: no crash, and no connection left mid-transaction', async () => {
    const service = t.app.get(TrendExportService);
    for (const format of ['csv', 'xlsx'] as const) {
      // A client gone as the first bytes arrive (the whole export fits in a chunk or two).
      const gone = new Writable({
        write(_chunk, _encoding, done) {
          done(new Error('client gone'));
        },
      });
      await expect(service.write(format, org.orgId, {}, gone)).rejects.toThrow(/client gone/);
    }
    const stuck = async () =>
      (
        await t.db.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and (state like 'idle in transaction%' or query ilike 'copy%')`,
        )
      ).rows[0].n;
    await until('the cut-short connections to close', async () => (await stuck()) === 0);
    // The API still answers, with a pool that works.
    expect((await csvRows()).length).toBeGreaterThan(0);
  });

  it('refuses a direct download larger than allowed before writing anything', async () => {
    const sink = new PassThrough();
    const written: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => written.push(chunk));
    await expect(
      t.app.get(TrendExportService).write('csv', org.orgId, {}, sink, { maxRows: 10 }),
    ).rejects.toBeInstanceOf(TooManyRows);
    expect(Buffer.concat(written).length).toBe(0);
  });

  it('XLSX opens and holds the same values as the CSV', async () => {
    const rows = await csvRows();
    const res = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.xlsx`)
      .set('authorization', `Bearer ${hr}`)
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as never);
    const sheet = workbook.getWorksheet('Trends')!;
    expect(sheet.rowCount).toBe(rows.length + 1);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...TREND_COLUMNS]);
    rows.forEach((row, i) => {
      const cells = (sheet.getRow(i + 2).values as (string | number | null | undefined)[]).slice(1);
      TREND_COLUMNS.forEach((c, j) => {
        const cell = cells[j];
        expect({ [c]: cell === undefined || cell === null ? '' : String(cell) }).toEqual({
          [c]: row[c],
        });
      });
    });
  });

  it('a background export reports progress, downloads the same rows, then expires and is deleted', async () => {
    const direct = await t.http
      .get(`/organisations/${org.orgId}/exports/trends.csv`)
      .set('authorization', `Bearer ${hr}`);
    const created = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${hr}`)
      .send({ format: 'csv' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'queued', progress: { rowsWritten: 0 } });
    expect(created.body.progress.totalRows).toBeGreaterThan(0);
    const id = created.body.id as string;
    const ready = await until('export ready', async () => {
      const res = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
      return res.body.status === 'ready' ? res.body : null;
    });
    expect(ready).toMatchObject({
      progress: { percent: 100, rowsWritten: created.body.progress.totalRows },
      downloadUrl: `/exports/${id}/download`,
    });
    expect(new Date(ready.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const file = await t.http.get(ready.downloadUrl).set('authorization', `Bearer ${hr}`);
    expect(file.status).toBe(200);
    expect(file.text).toBe(direct.text);
    // Leaders do not get organisation-wide exports.
    const asLeader = await t.http.get(ready.downloadUrl).set('authorization', `Bearer ${leader}`);
    expect(asLeader.status).toBe(403);

    await t.db.query(`update export set expires_at = now() - interval '1 second' where id = $1`, [
      id,
    ]);
    const expired = await t.http.get(ready.downloadUrl).set('authorization', `Bearer ${hr}`);
    expect(expired.status).toBe(410);
    expect(readdirSync(exportDir)).toContain(`${id}.csv`);
    await t.app.get(ExportJobsService).sweep();
    expect(existsSync(join(exportDir, `${id}.csv`))).toBe(false);
    const after = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
    expect(after.body).toMatchObject({ status: 'expired', downloadUrl: null });
  });

  it('an XLSX background export is built too, and a running build is never served', async () => {
    const created = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${hr}`)
      .send({ format: 'xlsx', dimensions: ['alignment'] });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const early = await t.http.get(`/exports/${id}/download`).set('authorization', `Bearer ${hr}`);
    expect([200, 409]).toContain(early.status);
    await until(
      'xlsx ready',
      async () =>
        (await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`)).body.status ===
        'ready',
    );
    const file = await t.http
      .get(`/exports/${id}/download`)
      .set('authorization', `Bearer ${hr}`)
      .buffer(true)
      .parse(binary as never);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as never);
    const sheet = workbook.getWorksheet('Trends')!;
    expect(sheet.rowCount).toBe(created.body.progress.totalRows + 1);
    const bad = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${hr}`)
      .send({ format: 'pdf' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('format');
  });

  it('the data API pages through the same rows for an HR API token, and refuses a leader', async () => {
    const token = await t.http
      .post(`/organisations/${org.orgId}/api-tokens`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: 'BI tool' });
    expect(token.status).toBe(201);
    const apiToken = token.body.token as string;
    const { rows: all, pages } = await allPages(apiToken, 7);
    const csv = await csvRows();
    expect(pages).toBe(Math.ceil(csv.length / 7));
    // Pages follow ids (a cursor can compare them), files follow unit paths: the same rows.
    expect(all.map(rowKey).sort()).toEqual(csv.map(rowKey).sort());
    expect(new Set(all.map(rowKey)).size).toBe(all.length);
    const refused = await t.http
      .get(`/organisations/${org.orgId}/data/trends`)
      .set('authorization', `Bearer ${leader}`);
    expect(refused.status).toBe(403);
    const badCursor = await t.http
      .get(`/organisations/${org.orgId}/data/trends`)
      .query({ cursor: 'bm90LWEtY3Vyc29y' })
      .set('authorization', `Bearer ${apiToken}`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].field).toBe('cursor');
    // A cursor of the right shape holding values no page could end on: refused by name too.
    const forged = (key: Record<string, unknown>) =>
      Buffer.from(JSON.stringify(key)).toString('base64url');
    const zero = '00000000-0000-0000-0000-000000000000';
    for (const key of [
      { periodStart: '2026-13-45', roundId: zero, unitId: zero, position: 0 },
      { periodStart: '2026-01-05', roundId: zero, unitId: zero, position: 1e21 },
      { periodStart: '2026-01-05', roundId: zero, unitId: zero, position: -1 },
    ]) {
      const res = await t.http
        .get(`/organisations/${org.orgId}/data/trends`)
        .query({ cursor: forged(key) })
        .set('authorization', `Bearer ${apiToken}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('cursor');
    }
    const docs = await t.http.get('/docs/openapi.json');
    expect(docs.body.paths['/organisations/{orgId}/data/trends']).toBeDefined();
  });

  it('the audit log records who exported and viewed what, lists it for HR, and cannot be changed', async () => {
    await t.http.get(`/units/${org.teamId}/report`).set('authorization', `Bearer ${leader}`);
    const res = await t.http
      .get(`/organisations/${org.orgId}/audit`)
      .query({ limit: 500 })
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    const events = res.body.events as {
      action: string;
      actor: { email: string; via: string };
      target: { kind: string; id: string };
    }[];
    const seen = (action: string, email: string) =>
      events.some((e) => e.action === action && e.actor.email === email);
    expect(seen('export.download', org.hr.email)).toBe(true);
    expect(seen('export.create', org.hr.email)).toBe(true);
    expect(seen('data.read', org.hr.email)).toBe(true);
    expect(seen('report.view', org.leader.email)).toBe(true);
    expect(events.find((e) => e.action === 'data.read')?.actor.via).toBe('api_token');
    expect(events[0]).toMatchObject({
      action: 'report.view',
      target: { kind: 'unit', id: org.teamId },
    });
    const asLeader = await t.http
      .get(`/organisations/${org.orgId}/audit`)
      .set('authorization', `Bearer ${leader}`);
    expect(asLeader.status).toBe(403);
    await expect(t.db.query(`update audit_event set action = 'nothing'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query(`delete from audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`truncate audit_event`)).rejects.toThrow(/append-only/);
  });

  it('pages through more rounds than are decided at once, each page reading from its cursor on', async () => {
    // Ten more rounds, a year before the others: three batches of rounds in all.
    for (let week = 0; week < 10; week++) {
      const start = new Date(Date.UTC(2024, 0, 1 + 14 * week));
      const end = new Date(start.getTime() + 13 * 86_400_000);
      await importRound(
        t,
        org.orgId,
        hr,
        {
          periodStart: start.toISOString().slice(0, 10),
          periodEnd: end.toISOString().slice(0, 10),
        },
        historyCsv(historyRows('sales', 6, week % 2 ? 'healthy' : 'micromanaged')),
      );
    }
    // Rounds arriving before the others make those stale until they are re-derived in order.
    await resultsCurrent(t, org.orgId);
    const csv = await csvRows();
    const { rows: all, pages } = await allPages(hr, 25);
    expect(new Set(csv.map((r) => r.round_id)).size).toBe(12);
    expect(pages).toBe(Math.ceil(csv.length / 25));
    expect(all.map(rowKey).sort()).toEqual(csv.map(rowKey).sort());
    // Oldest round first, as the cursor promises.
    const starts = all.map((r) => r.period_start);
    expect(starts).toEqual([...starts].sort());
  }, 120_000);
});
