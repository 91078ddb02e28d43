import { HttpException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { withRawClient, type Sql } from '@trellis/database';
import { notFound, unavailable } from '@trellis/errors';
import { organisationStatistics, ResultsVisibility } from '@trellis/reporting';
import type { InstrumentDef } from '@trellis/surveys';
import type { ExportFormat, TrendFilters } from './trend-filters';
import {
  COPY_SCOPE,
  EXPORT_SETTINGS,
  FILL_DIMENSIONS,
  INDEX_SCOPE,
  SCOPE_DDL,
  TREND_COLUMNS,
  trendSql,
  type TrendKey,
  type TrendRow,
} from './trend-query';
import { scopeLine, scopeRows } from './trend-scope';
import { writeXlsx } from './xlsx-writer';

/** Rows written so far, out of the export's (estimated) total. */
export type Progress = (written: number, total: number) => void;

/** The export holds more rows than the caller allowed; nothing was written. */
export class TooManyRows extends Error {
  constructor(readonly rows: number) {
    super(`the export holds about ${rows} rows`);
  }
}

/** A raw client as the `Sql` shape the rest of the code base speaks. */
function sqlOf(client: PoolClient): Sql {
  return {
    query: async <T>(text: string, parameters?: unknown[]) =>
      (await client.query(text, parameters)).rows as T,
  };
}

/** The caller's mistake, found before anything streamed. */
const isRefusal = (error: unknown) =>
  error instanceof HttpException || error instanceof TooManyRows;

/** Rounds are decided and written a few at a time, so memory does not grow with history. */
const ROUNDS_PER_BATCH = 8;

/**
 * The trend data (one row per unit × round × dimension) as CSV, XLSX or pages of JSON. Each
 * export reads one snapshot: the anonymity decisions are made inside the same transaction that
 * reads the numbers and land in temporary scope tables, and SQL applies them, so millions of
 * rows stream straight from PostgreSQL without passing through memory.
 */
@Injectable()
export class TrendExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly visibility: ResultsVisibility,
  ) {}

  /** About how many rows an export with these filters holds now (at most this many). */
  count(organisationId: string, filters: TrendFilters): Promise<number> {
    return this.inScope(organisationId, filters, false, (_client, rows) => Promise.resolve(rows));
  }

  /**
   * Streams the export into `out` (CSV through COPY, or one XLSX sheet) and resolves to the number
   * of rows. With `maxRows`, a larger export is refused before a byte is written; `start` runs
   * once it is accepted, before the first byte.
   */
  write(
    format: ExportFormat,
    organisationId: string,
    filters: TrendFilters,
    out: Writable,
    options: {
      maxRows?: number;
      start?: (rows: number) => void | Promise<void>;
      progress?: Progress;
    } = {},
  ): Promise<number> {
    return this.inScope(organisationId, filters, true, async (client, total) => {
      if (options.maxRows !== undefined && total > options.maxRows) throw new TooManyRows(total);
      await options.start?.(total);
      options.progress?.(0, total);
      return format === 'csv'
        ? this.csv(client, out, total, options.progress)
        : this.xlsx(client, out, total, options.progress);
    });
  }

  private async csv(client: PoolClient, out: Writable, total: number, progress?: Progress) {
    const copy = client.query(
      copyTo(`copy (${trendSql()}) to stdout with (format csv, header true)`),
    );
    let lines = -1;
    // Counting newlines is an estimate (a quoted name may hold one), good enough for progress.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        progress?.(Math.max(0, lines), total);
        done(null, chunk);
      },
    });
    await pipeline(copy, counter, out);
    return copy.rowCount;
  }

  private async xlsx(client: PoolClient, out: Writable, total: number, progress?: Progress) {
    const cursor = client.query(new QueryStream(trendSql(), [], { batchSize: 2000 }));
    let read = 0;
    async function* cells() {
      for await (const row of cursor as AsyncIterable<TrendRow>) {
        if (++read % 2000 === 0) progress?.(read, total);
        yield TREND_COLUMNS.map((c) => row[c]);
      }
    }
    const written = await writeXlsx(out, 'Trends', TREND_COLUMNS, cells());
    progress?.(written, total);
    return written;
  }

  /**
   * One page of rows after `after` (the previous page's last key), oldest round first. Only rounds
   * from the cursor's on are decided, a batch at a time until the page is full: a page costs
   * what it holds, not the organisation's whole history.
   */
  page(
    organisationId: string,
    filters: TrendFilters,
    after: TrendKey | null,
    limit: number,
  ): Promise<{ rows: TrendRow[]; next: TrendKey | null }> {
    const start = after ?? {
      periodStart: '',
      roundId: '00000000-0000-0000-0000-000000000000',
      unitId: '00000000-0000-0000-0000-000000000000',
      position: -1,
    };
    return this.inTransaction(async (client) => {
      const read = async () =>
        (
          await client.query<TrendRow & { position: number }>(trendSql({ page: true }), [
            start.periodStart,
            start.roundId,
            start.unitId,
            start.position,
            limit + 1,
          ])
        ).rows;
      let rows: (TrendRow & { position: number })[] = [];
      const batches = this.fillScope(client, organisationId, filters, false, after);
      // Rounds arrive in key order, so once a page is full no later round can belong on it.
      for await (const filled of batches)
        if (filled > 0 && (rows = await read()).length > limit) break;
      if (rows.length <= limit) rows = await read();
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      // The scope stops before a round being re-derived. A page cut short there is not the end:
      // with rows it hands a cursor to resume from; without any it is a 503 to retry, never a
      // null cursor a client would take for "you have everything".
      const waiting =
        !more &&
        (
          await client.query(
            `select 1 from round r join organisation o on o.id = r.organisation_id
              where r.organisation_id = $1 and r.status = 'closed'
                and (r.aggregated_at is null or r.results_epoch is distinct from o.results_epoch)
                and ($2::date is null or r.period_start <= $2::date)
                and ($3::date is null or (r.period_start, r.id) >= ($3::date, $4::uuid))
              limit 1`,
            [
              organisationId,
              filters.to ?? null,
              after?.periodStart ?? null,
              after?.roundId ?? null,
            ],
          )
        ).rows.length > 0;
      if (waiting && !last)
        throw unavailable(
          'results are being recomputed after a change to the organisation or its settings; retry shortly with the same cursor',
        );
      return {
        rows: page.map(({ position: _position, ...row }) => row),
        next:
          (more || waiting) && last
            ? {
                periodStart: String(last.period_start),
                roundId: String(last.round_id),
                unitId: String(last.unit_id),
                position: last.position,
              }
            : null,
      };
    });
  }

  /**
   * Runs `work` in one snapshot holding the scope tables: which unit × round may show what,
   * as the anonymity module decided it when each round was aggregated, narrowed by the filters.
   * `work` also gets the number of rows the scope allows (exact: a withheld figure is a row
   * without numbers).
   */
  private inScope<T>(
    organisationId: string,
    filters: TrendFilters,
    forSpreadsheet: boolean,
    work: (client: PoolClient, rows: number) => Promise<T>,
  ): Promise<T> {
    return this.inTransaction(async (client) => {
      let rows = 0;
      for await (rows of this.fillScope(client, organisationId, filters, forSpreadsheet));
      for (const statement of INDEX_SCOPE) await client.query(statement);
      return work(client, rows);
    });
  }

  /** One repeatable-read snapshot on a connection of its own, for temporary tables and COPY. */
  private inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withRawClient(
      this.db,
      async (client) => {
        // Not READ ONLY: PostgreSQL refuses CREATE, even of a temporary table, in such a transaction.
        await client.query('begin isolation level repeatable read');
        try {
          for (const statement of EXPORT_SETTINGS) await client.query(statement);
          const result = await work(client);
          await client.query('commit');
          return result;
        } catch (error) {
          // A refusal leaves the connection idle in its transaction: roll back and reuse it.
          // Anything else may have cut a COPY or a cursor short, where a rollback would wait
          // forever; that connection is closed instead, which rolls the transaction back too.
          if (isRefusal(error)) await client.query('rollback');
          throw error;
        }
      },
      { reusableAfter: isRefusal },
    );
  }

  /**
   * Creates the scope tables and fills them a few rounds at a time, oldest first (from the
   * round of `after` on, when given); yields the running row count after each batch. The tables
   * exist, empty, even when no round matches.
   */
  private async *fillScope(
    client: PoolClient,
    organisationId: string,
    filters: TrendFilters,
    forSpreadsheet: boolean,
    after?: { periodStart: string; roundId: string } | null,
  ): AsyncGenerator<number> {
    const sql = sqlOf(client);
    const [organisation] = await sql.query<{ epoch: string }[]>(
      `select results_epoch::text as epoch from organisation where id = $1`,
      [organisationId],
    );
    if (!organisation) throw notFound('organisation');
    if (filters.unitId) {
      const [unit] = await sql.query<unknown[]>(
        `select 1 from unit where id = $1 and organisation_id = $2`,
        [filters.unitId, organisationId],
      );
      if (!unit) throw notFound('unit');
    }
    const found = await sql.query<
      {
        id: string;
        periodStart: string;
        periodEnd: string;
        definition: InstrumentDef;
        epoch: string | null;
      }[]
    >(
      `select r.id, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart",
              to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd", v.definition, r.results_epoch::text as epoch
         from round r join instrument_version v on v.id = r.instrument_version_id
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null
          and ($2::date is null or r.period_start >= $2::date)
          and ($3::date is null or r.period_start <= $3::date)
          and ($4::date is null or (r.period_start, r.id) >= ($4::date, $5::uuid))
        order by r.period_start, r.id`,
      [
        organisationId,
        filters.from ?? null,
        filters.to ?? null,
        after?.periodStart ?? null,
        after?.roundId ?? null,
      ],
    );
    // A page stops before a round being re-derived: a client resumes from its cursor and never
    // revisits a round it has paged past, so it must not pass one while its rows are withheld.
    const firstStale = found.findIndex((r) => r.epoch !== organisation.epoch);
    const rounds = after !== undefined && firstStale >= 0 ? found.slice(0, firstStale) : found;
    for (const ddl of SCOPE_DDL) await client.query(ddl);
    let seq = 0;
    let rows = 0;
    // A few rounds at a time: decided, written by COPY and forgotten before the next batch.
    for (let i = 0; i < rounds.length; i += ROUNDS_PER_BATCH) {
      const batch = rounds.slice(i, i + ROUNDS_PER_BATCH);
      const decided = await this.visibility.decide(
        organisationId,
        batch.map((r) => r.id),
        sql,
      );
      const scope = scopeRows(
        decided.units,
        batch.map((r) => ({ ...r, dimensions: r.definition.dimensions })),
        decided.byRound,
        filters,
        forSpreadsheet,
      );
      const d = scope.dimensions;
      // The organisation's ICC and alpha pass the same gate as on the pages (round-statistics.ts).
      const statistics = await organisationStatistics(
        sql,
        batch.map((r) => r.id),
        decided.byRound,
        decided.rootId,
        decided.k,
      );
      const statOf = (r: (typeof d)[number]) =>
        statistics.get(r.roundId)?.find((x) => x.dimension === r.key);
      const itemsOf = new Map(
        batch.flatMap((round) =>
          round.definition.dimensions.map((dim) => [
            `${round.id}|${dim.key}`,
            round.definition.items
              .filter((i) => i.dimension === dim.key)
              .map((i) => i.key)
              .join(','),
          ]),
        ),
      );
      await client.query(FILL_DIMENSIONS, [
        d.map((r) => r.roundId),
        d.map((r) => r.key),
        d.map((r) => r.name),
        d.map((r) => r.position),
        d.map((r) => itemsOf.get(`${r.roundId}|${r.key}`) ?? ''),
        d.map((r) => statOf(r)?.icc1 ?? null),
        d.map((r) => statOf(r)?.icc2 ?? null),
        d.map((r) => statOf(r)?.alpha ?? null),
      ]);
      const perRound = new Map<string, number>();
      for (const dimension of d)
        perRound.set(dimension.roundId, (perRound.get(dimension.roundId) ?? 0) + 1);
      const lines = scope.units.map((row) => {
        rows += perRound.get(row.roundId) ?? 0;
        return `${scopeLine(++seq, row)}\n`;
      });
      // One chunk: COPY sends each chunk as a message of its own.
      if (lines.length)
        await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(COPY_SCOPE)));
      yield rows;
    }
  }
}
