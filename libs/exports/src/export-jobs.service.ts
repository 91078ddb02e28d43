import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { organisationAnonymity } from '@trellis/anonymity';
import { AppConfig } from '@trellis/config';
import { returning, withRawClient } from '@trellis/database';
import { conflict, gone, invalid, notFound } from '@trellis/errors';
import { JobQueue } from '@trellis/jobs';
import { XLSX_MAX_ROWS, type ExportFormat, type TrendFilters } from './trend-filters';
import { TrendExportService } from './trend-export.service';

export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'expired' | 'withdrawn';

interface ExportRecord {
  id: string;
  organisationId: string;
  format: ExportFormat;
  filters: TrendFilters;
  status: ExportStatus;
  totalRows: number | null;
  rowsWritten: number;
  bytes: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
  basisEpoch: string | null;
  basisMinGroupSize: number | null;
  /** The organisation's basis now. */
  currentEpoch: string;
  currentSettings: Record<string, unknown>;
}

const COLUMNS = `e.id, e.organisation_id as "organisationId", e.format, e.filters, e.status, e.total_rows as "totalRows",
  e.rows_written as "rowsWritten", e.bytes, e.error, e.created_at as "createdAt", e.finished_at as "finishedAt",
  e.expires_at as "expiresAt", e.results_epoch::text as "basisEpoch", e.min_group_size as "basisMinGroupSize",
  o.results_epoch::text as "currentEpoch", o.settings as "currentSettings"`;
const FROM = `export e join organisation o on o.id = e.organisation_id`;

function minGroupSize(settings: unknown): number {
  return organisationAnonymity(settings).minGroupSize;
}

/**
 * Why a built export no longer holds, or null while it does: its numbers were decided under
 * a tree, settings or earlier rounds that have changed since, and may differ from what is shown
 * today (a file made under a lower k would keep groups the organisation now hides).
 */
function withdrawal(e: ExportRecord): string | null {
  if (e.status !== 'ready' && e.status !== 'withdrawn') return null;
  const k = minGroupSize(e.currentSettings);
  if (e.basisMinGroupSize !== null && e.basisMinGroupSize !== k)
    return `this export was withdrawn: the minimum group size changed from ${e.basisMinGroupSize} to ${k} since it was built; create it again`;
  if (e.status === 'withdrawn' || e.basisEpoch !== e.currentEpoch)
    return 'this export was withdrawn: the organisation’s units, settings or earlier rounds changed since it was built, so its results are re-derived; create it again';
  return null;
}

export interface ExportView {
  id: string;
  format: ExportFormat;
  filters: TrendFilters;
  status: ExportStatus;
  progress: { rowsWritten: number; totalRows: number | null; percent: number | null };
  bytes: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  downloadUrl: string | null;
  /** Why a finished export can no longer be downloaded, when it was withdrawn. */
  withdrawnBecause: string | null;
}

function view(e: ExportRecord): ExportView {
  const withdrawn = withdrawal(e);
  const status: ExportStatus = withdrawn ? 'withdrawn' : e.status;
  return {
    id: e.id,
    format: e.format,
    filters: e.filters,
    status,
    progress: {
      rowsWritten: e.rowsWritten,
      totalRows: e.totalRows,
      percent:
        status === 'ready'
          ? 100
          : e.totalRows
            ? Math.min(99, Math.floor((100 * e.rowsWritten) / e.totalRows))
            : null,
    },
    bytes: e.bytes === null ? null : Number(e.bytes),
    error: e.error,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    expiresAt: e.expiresAt?.toISOString() ?? null,
    downloadUrl: status === 'ready' ? `/exports/${e.id}/download` : null,
    withdrawnBecause: withdrawn,
  };
}

/**
 * Exports too large for one request: a row in PostgreSQL, a job that writes the file, a link
 * that stops working when the file expires, and a sweep that deletes expired files. The job may
 * run twice or be killed half-way: a session lock keeps one builder per export, and the file
 * appears under its final name only when complete.
 */
@Injectable()
export class ExportJobsService {
  private readonly logger = new Logger(ExportJobsService.name);
  private readonly dir: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trends: TrendExportService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {
    this.dir = resolve(config.env.EXPORT_DIR);
  }

  async create(
    organisationId: string,
    personId: string,
    format: ExportFormat,
    filters: TrendFilters,
  ): Promise<ExportView> {
    const total = await this.trends.count(organisationId, filters);
    if (format === 'xlsx' && total > XLSX_MAX_ROWS)
      throw invalid({
        field: 'format',
        message: `an XLSX sheet holds at most ${XLSX_MAX_ROWS} rows and this export has ${total}: choose csv or narrow the filters`,
      });
    const [{ id }] = await this.db.query<{ id: string }[]>(
      `insert into export (organisation_id, requested_by, format, filters, total_rows)
       values ($1, $2, $3, $4, $5) returning id`,
      [organisationId, personId, format, JSON.stringify(filters), total],
    );
    await this.enqueue(id);
    return view(await this.record(id));
  }

  /** Redis may be away: the export stays queued and the next sweep queues it again. */
  private async enqueue(exportId: string): Promise<void> {
    try {
      await this.jobs.add('export.build', { exportId });
    } catch (error) {
      this.logger.warn({ err: error, exportId }, 'export queued in the database only');
    }
  }

  async get(exportId: string): Promise<ExportView> {
    return view(await this.record(exportId));
  }

  async list(organisationId: string, limit = 50): Promise<ExportView[]> {
    const rows = await this.db.query<ExportRecord[]>(
      `select ${COLUMNS} from ${FROM} where e.organisation_id = $1 order by e.created_at desc, e.id limit $2`,
      [organisationId, limit],
    );
    return rows.map(view);
  }

  /** The finished file, while its link is valid. */
  async file(exportId: string): Promise<{ path: string; format: ExportFormat; fileName: string }> {
    const e = await this.record(exportId);
    if (e.status === 'expired' || (e.expiresAt && e.expiresAt.getTime() <= Date.now()))
      throw gone('this export has expired; create it again');
    const withdrawn = withdrawal(e);
    if (withdrawn) throw gone(withdrawn);
    if (e.status !== 'ready')
      throw conflict('status', `this export is ${e.status}, not ready to download yet`);
    const day = e.createdAt.toISOString().slice(0, 10);
    return {
      path: this.pathOf(e.id, e.format),
      format: e.format,
      fileName: `trellis-trends-${day}-${e.id.slice(0, 8)}.${e.format}`,
    };
  }

  async build(exportId: string, finalAttempt: boolean): Promise<{ status: ExportStatus }> {
    return withRawClient(this.db, async (lock) => {
      const { rows } = await lock.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(hashtext($1)) as locked`,
        [`export:${exportId}`],
      );
      // Another worker holds it; this attempt fails and BullMQ retries after the other one is done.
      if (!rows[0].locked) throw new Error(`export ${exportId} is being built by another worker`);
      try {
        return await this.buildLocked(exportId, finalAttempt);
      } finally {
        await lock.query(`select pg_advisory_unlock(hashtext($1))`, [`export:${exportId}`]);
      }
    });
  }

  private async buildLocked(exportId: string, finalAttempt: boolean) {
    const [e] = await this.db.query<ExportRecord[]>(
      `select ${COLUMNS} from ${FROM} where e.id = $1`,
      [exportId],
    );
    if (!e || (e.status !== 'queued' && e.status !== 'running'))
      return { status: e?.status ?? ('expired' as const) };
    // The basis is recorded before the file's snapshot is taken: if it changes in between, the
    // file is withdrawn at once, never kept under a basis it was not built on.
    await this.db.query(
      `update export set status = 'running', started_at = now(), rows_written = 0,
              results_epoch = $2, min_group_size = $3 where id = $1`,
      [exportId, e.currentEpoch, minGroupSize(e.currentSettings)],
    );
    await mkdir(this.dir, { recursive: true });
    const part = join(this.dir, `${exportId}.${process.pid}.${Date.now()}.part`);
    let lastReport = 0;
    const progress = (written: number, total: number) => {
      if (Date.now() - lastReport < 1000) return;
      lastReport = Date.now();
      // Progress is a courtesy: a lost update is fine, a failed export is not.
      this.db
        .query(
          `update export set rows_written = $2, total_rows = $3 where id = $1 and status = 'running'`,
          [exportId, written, total],
        )
        .catch(() => undefined);
    };
    const out = createWriteStream(part);
    try {
      const finished = new Promise<void>((done, fail) => {
        out.on('close', done);
        out.on('error', fail);
      });
      // Heard below once the rows are written; if writing them fails first, that failure wins.
      finished.catch(() => undefined);
      const written = await this.trends.write(e.format, e.organisationId, e.filters, out, {
        maxRows: e.format === 'xlsx' ? XLSX_MAX_ROWS : undefined,
        progress,
      });
      if (!out.writableFinished) out.end();
      await finished;
      const final = this.pathOf(exportId, e.format);
      await rename(part, final);
      const { size } = await stat(final);
      await this.db.query(
        `update export set status = 'ready', rows_written = $2, total_rows = $2, bytes = $3,
                finished_at = now(), expires_at = now() + make_interval(secs => $4), error = null
          where id = $1`,
        [exportId, written, size, this.config.env.EXPORT_TTL_HOURS * 3600],
      );
      return { status: 'ready' as const };
    } catch (error) {
      out.destroy();
      await rm(part, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      await this.db.query(
        `update export set status = $2, error = $3 where id = $1 and status = 'running'`,
        [exportId, finalAttempt ? 'failed' : 'queued', message.slice(0, 500)],
      );
      throw error;
    }
  }

  /**
   * Deletes the files of expired exports and half-written files nobody is writing, and queues
   * again every export that is not finished: queued ones, and running ones whose builder is gone
   * (killed, or its job failed by stalling). "Nobody is building it" is the export's advisory lock
   * being free, which is true across every worker the moment a builder dies.
   */
  async sweep(): Promise<{ expired: number; requeued: number; orphans: number }> {
    const expired = await returning<{ id: string; format: ExportFormat }>(
      this.db,
      `update export set status = 'expired' where status = 'ready' and expires_at <= now() returning id, format`,
      [],
    );
    for (const e of expired) await rm(this.pathOf(e.id, e.format), { force: true });
    // Files built on a basis that no longer holds are deleted too; the row keeps saying why.
    const withdrawn = await returning<{ id: string; format: ExportFormat }>(
      this.db,
      `update export e set status = 'withdrawn' from organisation o
        where o.id = e.organisation_id and e.status = 'ready'
          and e.results_epoch is distinct from o.results_epoch returning e.id, e.format`,
      [],
    );
    for (const e of withdrawn) await rm(this.pathOf(e.id, e.format), { force: true });
    let orphans = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!name.endsWith('.part')) continue;
      const exportId = name.split('.')[0];
      const deleted = await this.whileNobodyBuilds(exportId, () =>
        rm(join(this.dir, name), { force: true }),
      );
      if (deleted) orphans++;
    }
    const abandoned = await this.db.query<{ id: string }[]>(
      `select id from export where status = 'running'`,
    );
    for (const a of abandoned) {
      await this.whileNobodyBuilds(a.id, () =>
        this.db.query(`update export set status = 'queued' where id = $1 and status = 'running'`, [
          a.id,
        ]),
      );
    }
    const waiting = await this.db.query<{ id: string }[]>(
      `select id from export where status = 'queued'`,
    );
    let requeued = 0;
    for (const w of waiting) {
      const outcome = await this.jobs
        .redrive('export.build', { exportId: w.id })
        .catch((error: unknown) => {
          this.logger.warn({ err: error, exportId: w.id }, 'export waits for the next sweep');
          return 'present' as const;
        });
      if (outcome === 'queued') requeued++;
    }
    return { expired: expired.length, requeued, orphans };
  }

  /** Runs `work` holding the export's builder lock, or not at all (and says so) if a builder has it. */
  private async whileNobodyBuilds(
    exportId: string,
    work: () => Promise<unknown>,
  ): Promise<boolean> {
    // Names in the directory come from us, but a stray file must not reach the query as a non-uuid.
    if (!/^[0-9a-f-]{36}$/i.test(exportId)) return false;
    return withRawClient(this.db, async (lock) => {
      const { rows } = await lock.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(hashtext($1)) as locked`,
        [`export:${exportId}`],
      );
      if (!rows[0].locked) return false;
      try {
        await work();
        return true;
      } finally {
        await lock.query(`select pg_advisory_unlock(hashtext($1))`, [`export:${exportId}`]);
      }
    });
  }

  private async record(exportId: string): Promise<ExportRecord> {
    const [e] = await this.db.query<ExportRecord[]>(
      `select ${COLUMNS} from ${FROM} where e.id = $1`,
      [exportId],
    );
    if (!e) throw notFound('export');
    return e;
  }

  private pathOf(id: string, format: ExportFormat): string {
    return join(this.dir, `${id}.${format}`);
  }
}
