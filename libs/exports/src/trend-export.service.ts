import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { withRawClient, type Sql } from '@trellis/database';
import { notFound } from '@trellis/errors';
import { ResultsVisibility } from '@trellis/reporting';
import type { InstrumentDef } from '@trellis/surveys';
import type { TrendFilters } from './trend-filters';
import {
  FILL_DIMENSIONS,
  FILL_SCOPE,
  SCOPE_DDL,
  TREND_COLUMNS,
  trendSql,
  type TrendKey,
  type TrendRow,
} from './trend-query';
import { scopeRows } from './trend-scope';

export type RowsWritten = (rows: number) => void;

/** A raw client as the `Sql` shape the rest of the code base speaks. */
function sqlOf(client: PoolClient): Sql {
  return {
    query: async <T>(text: string, parameters?: unknown[]) =>
      (await client.query(text, parameters)).rows as T,
  };
}

/**
 * The trend data (one row per unit × round × dimension) as CSV, XLSX or pages of JSON. Each
 * export reads one snapshot: the anonymity decisions are made inside the same
 * transaction that reads the numbers, then applied by SQL, so millions of rows stream straight
 * from PostgreSQL without passing through memory.
 */
@Injectable()
export class TrendExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly visibility: ResultsVisibility,
  ) {}

  /** How many rows an export with these filters holds now. */
  count(organisationId: string, filters: TrendFilters): Promise<number> {
    return this.inScope(organisationId, filters, async (client) => {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from (${trendSql({ forSpreadsheet: false })}) rows`,
      );
      return rows[0].n;
    });
  }

  /** Streams CSV (header included) into `out` through COPY; resolves to the number of rows. */
  csv(
    organisationId: string,
    filters: TrendFilters,
    out: Writable,
    progress?: RowsWritten,
  ): Promise<number> {
    return this.inScope(organisationId, filters, async (client) => {
      const copy = client.query(
        copyTo(
          `copy (${trendSql({ forSpreadsheet: true })}) to stdout with (format csv, header true)`,
        ),
      );
      let lines = -1;
      // Counting newlines is an estimate (a quoted name may hold one), good enough for progress.
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          progress?.(Math.max(0, lines));
          done(null, chunk);
        },
      });
      await pipeline(copy, counter, out);
      return copy.rowCount;
    });
  }

  /** Streams one XLSX sheet into `out`; resolves to the number of rows. */
  xlsx(
    organisationId: string,
    filters: TrendFilters,
    out: Writable,
    progress?: RowsWritten,
  ): Promise<number> {
    return this.inScope(organisationId, filters, async (client) => {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: out,
        useStyles: false,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet('Trends');
      sheet.columns = TREND_COLUMNS.map((key) => ({ header: key, key, width: 14 }));
      const rows = client.query(
        new QueryStream(trendSql({ forSpreadsheet: true }), [], { batchSize: 2000 }),
      );
      let written = 0;
      for await (const row of rows as AsyncIterable<TrendRow>) {
        sheet.addRow(TREND_COLUMNS.map((c) => row[c])).commit();
        written++;
        if (written % 2000 === 0) {
          progress?.(written);
          // Let the zip stream drain to the file before the next batch is read.
          if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      sheet.commit();
      await workbook.commit();
      progress?.(written);
      return written;
    });
  }

  /** One page of rows after `after` (the previous page's last key), oldest round first. */
  page(
    organisationId: string,
    filters: TrendFilters,
    after: TrendKey | null,
    limit: number,
  ): Promise<{ rows: TrendRow[]; next: TrendKey | null }> {
    return this.inScope(organisationId, filters, async (client) => {
      const start = after ?? {
        periodStart: '0001-01-01',
        roundId: '00000000-0000-0000-0000-000000000000',
        unitPath: '',
        unitId: '00000000-0000-0000-0000-000000000000',
        position: -1,
      };
      const { rows } = await client.query<TrendRow & { position: number }>(
        trendSql({ forSpreadsheet: false, page: true }),
        [start.periodStart, start.roundId, start.unitPath, start.unitId, start.position, limit + 1],
      );
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        rows: page.map(({ position: _position, ...row }) => row),
        next:
          more && last
            ? {
                periodStart: String(last.period_start),
                roundId: String(last.round_id),
                unitPath: String(last.unit_path),
                unitId: String(last.unit_id),
                position: last.position,
              }
            : null,
      };
    });
  }

  /**
   * Runs `work` in one snapshot holding the scope tables: which unit × round may show
   * what, decided by the anonymity module for the whole organisation, then narrowed by the filters.
   */
  private inScope<T>(
    organisationId: string,
    filters: TrendFilters,
    work: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    return withRawClient(this.db, async (client) => {
      // Not READ ONLY: PostgreSQL refuses CREATE, even of a temporary table, in such a transaction.
      await client.query('begin isolation level repeatable read');
      try {
        await this.fillScope(client, organisationId, filters);
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  private async fillScope(client: PoolClient, organisationId: string, filters: TrendFilters) {
    const sql = sqlOf(client);
    const [organisation] = await sql.query<{ settings: Record<string, unknown> }[]>(
      `select settings from organisation where id = $1`,
      [organisationId],
    );
    if (!organisation) throw notFound('organisation');
    const rounds = await sql.query<{ id: string; definition: InstrumentDef }[]>(
      `select r.id, v.definition
         from round r join instrument_version v on v.id = r.instrument_version_id
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null
          and ($2::date is null or r.period_start >= $2::date)
          and ($3::date is null or r.period_start <= $3::date)`,
      [organisationId, filters.from ?? null, filters.to ?? null],
    );
    const decided = await this.visibility.decide(
      organisationId,
      rounds.map((r) => r.id),
      organisation.settings.anonymity ?? organisation.settings,
      sql,
    );
    if (filters.unitId && !decided.units.some((u) => u.id === filters.unitId))
      throw notFound('unit');
    const scope = scopeRows(
      decided.units,
      rounds.map((r) => ({ id: r.id, dimensions: r.definition.dimensions })),
      decided.byRound,
      filters,
    );
    for (const ddl of SCOPE_DDL) await client.query(ddl);
    const u = scope.units;
    await client.query(FILL_SCOPE, [
      u.map((r) => r.roundId),
      u.map((r) => r.unitId),
      u.map((r) => r.unitPath),
      u.map((r) => r.unitName),
      u.map((r) => r.unitKind),
      u.map((r) => r.respondents),
      u.map((r) => r.shown),
      u.map((r) => r.ownShown),
    ]);
    const d = scope.dimensions;
    await client.query(FILL_DIMENSIONS, [
      d.map((r) => r.roundId),
      d.map((r) => r.key),
      d.map((r) => r.name),
      d.map((r) => r.position),
    ]);
    await client.query('analyze pg_temp.trend_scope');
  }
}
