import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value COPY's text format can carry: null, text, a number, a boolean, a date or a text array. */
export type CopyValue = string | number | boolean | Date | null | readonly string[];

// COPY text format: backslash, tab, newline and carriage return are escaped; \N is null.
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function cell(value: CopyValue): string {
  if (value === null) return '\\N';
  const text =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? arrayLiteral(value as readonly string[])
        : String(value);
  return text.replace(SPECIAL, (c) => ESCAPES[c]);
}

/** Lines are sent in chunks: one write per row would cost more than the row itself. */
const ROWS_PER_CHUNK = 5_000;

function* chunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    chunk += `${row.map(cell).join('\t')}\n`;
    if (++count === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      count = 0;
    }
  }
  if (chunk) yield chunk;
}

/** Streams rows into a table with COPY FROM STDIN; returns how many rows went in. */
export async function copyRows(
  client: Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  await pipeline(Readable.from(chunks(rows)), stream);
  return Number(stream.rowCount);
}
