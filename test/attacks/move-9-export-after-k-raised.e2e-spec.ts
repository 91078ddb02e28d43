import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { ExportJobsService } from '@trellis/exports';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';
import { startWorker } from '../support/worker';

type Row = Record<string, string>;

/**
 * Red-team move 9: an export built while k was 5 held a team of 6 people's numbers; after the
 * organisation raised k to 7 that team is hidden everywhere, yet the file stayed downloadable.
 * An export records the basis it was built under and is withdrawn once that no longer holds.
 */
describe('attack: exports built under a lower k stay downloadable after k is raised', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let hr: string;
  let admin: string;
  const settings = { anonymity: { minGroupSize: 5, minCommentGroup: 10 } };
  const exportDir = mkdtempSync(join(tmpdir(), 'trellis-move9-'));

  const putSettings = async (body: object) => {
    const res = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send(body);
    expect(res.status).toBe(200);
  };

  const buildExport = async (): Promise<string> => {
    const created = await t.http
      .post(`/organisations/${org.orgId}/exports`)
      .set('authorization', `Bearer ${hr}`)
      .send({ format: 'csv' });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await until('the export to be ready', async () => {
      const res = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
      return res.body.status === 'ready';
    });
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '300', EXPORT_DIR: exportDir });
    org = await createOrg(t.app, 'move9');
    hr = await signIn(t.http, org.hr.email);
    admin = await signIn(t.http, org.admin.email);
    worker = await startWorker();
    await putSettings(settings);
    // Platform 6 (shown while k = 5, hidden at 7), Sales 8.
    await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2025-06-02', periodEnd: '2025-06-15' },
      historyCsv([...historyRows('platform', 6, 'healthy'), ...historyRows('sales', 8, 'healthy')]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('a file built under k = 5 is withdrawn once k is 7: its status says so and download answers 410 naming why', async () => {
    const id = await buildExport();
    const file = await t.http.get(`/exports/${id}/download`).set('authorization', `Bearer ${hr}`);
    expect(file.status).toBe(200);
    const platformRows = parse<Row>(file.text, { columns: true }).filter(
      (r) => r.unit_id === org.teamId,
    );
    expect(platformRows.length).toBeGreaterThan(0);
    expect(platformRows.every((r) => r.mean !== '')).toBe(true);

    // Saving the same settings again changes nothing: the file still holds.
    await putSettings(settings);
    const unchanged = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
    expect(unchanged.body).toMatchObject({
      status: 'ready',
      downloadUrl: `/exports/${id}/download`,
    });

    await putSettings({ anonymity: { minGroupSize: 7, minCommentGroup: 10 } });
    const status = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
    expect(status.body).toMatchObject({ status: 'withdrawn', downloadUrl: null });
    expect(status.body.withdrawnBecause).toMatch(/minimum group size changed from 5 to 7/);
    const refused = await t.http
      .get(`/exports/${id}/download`)
      .set('authorization', `Bearer ${hr}`);
    expect(refused.status).toBe(410);
    expect(refused.body.message).toMatch(/minimum group size changed from 5 to 7/);
    expect(refused.text).not.toContain('platform');

    // The maintenance sweep (the worker's, every tick, or this one) deletes the file; the
    // export keeps saying why it is gone.
    await t.app.get(ExportJobsService).sweep();
    expect(existsSync(join(exportDir, `${id}.csv`))).toBe(false);
    const swept = await t.http.get(`/exports/${id}`).set('authorization', `Bearer ${hr}`);
    expect(swept.body).toMatchObject({ status: 'withdrawn', downloadUrl: null });
    expect(swept.body.withdrawnBecause).toMatch(/minimum group size changed from 5 to 7/);
  });

  it('a new export, built under k = 7, does not show the team of 6', async () => {
    // Raising k re-derives every round in the worker; until then nothing of them is shown at all.
    await until('the rounds to be re-derived under k = 7', async () => {
      const { rows } = await t.db.query<{ stale: number }>(
        `select count(*)::int as stale from round r join organisation o on o.id = r.organisation_id
          where o.id = $1 and r.results_epoch is distinct from o.results_epoch`,
        [org.orgId],
      );
      return rows[0].stale === 0;
    });
    const id = await buildExport();
    const file = await t.http.get(`/exports/${id}/download`).set('authorization', `Bearer ${hr}`);
    expect(file.status).toBe(200);
    const rows = parse<Row>(file.text, { columns: true });
    const platformRows = rows.filter((r) => r.unit_id === org.teamId);
    expect(platformRows.length).toBeGreaterThan(0);
    expect(platformRows.every((r) => r.mean === '')).toBe(true);
    // The organisation as a whole (14) is still shown.
    expect(rows.some((r) => r.unit_id === org.rootId && r.mean !== '')).toBe(true);
  });
});
