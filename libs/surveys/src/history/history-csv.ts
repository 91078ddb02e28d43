import { parse } from 'csv-parse/sync';
import { dimensionScale, type InstrumentDef } from '../instrument';

export interface HistoryRow {
  line: number;
  teamKey: string;
  answers: { itemKey: string; value: number }[];
}

export interface HistoryProblem {
  line: number;
  column: string;
  message: string;
}

export type HistoryParseResult =
  { ok: true; rows: HistoryRow[]; itemKeys: string[] } | { ok: false; problems: HistoryProblem[] };

const TEAM_HEADERS = new Set(['team', 'team_key', 'team key', 'team id']);

function detectDelimiter(header: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}

/**
 * Reads a previous tool's item-level export: one row per respondent, the team's key in a `team`
 * column and one column per item key of the instrument. Empty cells are unanswered items.
 * Every problem in the file is reported, by line and column.
 */
export function parseHistoryCsv(
  text: string,
  def: InstrumentDef,
  options: { maxRows?: number; teamKeys?: ReadonlySet<string> } = {},
): HistoryParseResult {
  const maxRows = options.maxRows ?? 200_000;
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, {
      delimiter: detectDelimiter(firstLine),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return {
      ok: false,
      problems: [
        { line: e.lines ?? 1, column: '*', message: `the file is not valid CSV: ${e.message}` },
      ],
    };
  }
  if (!records.length)
    return { ok: false, problems: [{ line: 1, column: '*', message: 'the file is empty' }] };

  const header = records[0].record.map((h) => h.trim());
  const problems: HistoryProblem[] = [];
  const teamColumn = header.findIndex((h) => TEAM_HEADERS.has(h.toLowerCase()));
  if (teamColumn < 0)
    problems.push({
      line: 1,
      column: 'team',
      message: 'a "team" column with each row’s team key is required',
    });
  const items = new Map(def.items.map((i) => [i.key, i]));
  const itemColumns: { index: number; key: string }[] = [];
  header.forEach((h, index) => {
    if (index === teamColumn) return;
    if (items.has(h)) itemColumns.push({ index, key: h });
    else
      problems.push({
        line: 1,
        column: h || `column ${index + 1}`,
        message: `"${h}" is not an item of ${def.name}`,
      });
  });
  const seen = new Set<string>();
  for (const c of itemColumns) {
    if (seen.has(c.key)) problems.push({ line: 1, column: c.key, message: 'appears twice' });
    seen.add(c.key);
  }
  if (!itemColumns.length && !problems.length)
    problems.push({ line: 1, column: '*', message: 'the file has no item columns' });
  if (problems.length) return { ok: false, problems };
  if (records.length - 1 > maxRows)
    return {
      ok: false,
      problems: [{ line: 1, column: '*', message: `more than ${maxRows} rows` }],
    };
  if (records.length === 1)
    return { ok: false, problems: [{ line: 1, column: '*', message: 'the file has no rows' }] };

  const rows: HistoryRow[] = [];
  for (const { record, info } of records.slice(1)) {
    // Item exports have no multi-line cells, so the line a record ends on is the line it is on.
    const line = info.lines;
    if (record.length !== header.length) {
      problems.push({
        line,
        column: '*',
        message: `has ${record.length} values; the header has ${header.length}`,
      });
      continue;
    }
    // PostgreSQL cannot store or even compare text with NUL in it; say where it is.
    const nul = record.findIndex((cell) => cell.includes('\u0000'));
    if (nul >= 0) {
      problems.push({ line, column: header[nul] || '*', message: 'contains a NUL character' });
      continue;
    }
    const teamKey = record[teamColumn];
    if (!teamKey) problems.push({ line, column: header[teamColumn], message: 'is required' });
    else if (options.teamKeys && !options.teamKeys.has(teamKey)) {
      problems.push({
        line,
        column: header[teamColumn],
        message: `no team with key "${teamKey.slice(0, 64)}"`,
      });
    }
    const answers: HistoryRow['answers'] = [];
    for (const { index, key } of itemColumns) {
      const cell = record[index];
      if (cell === '') continue;
      // Each item on its dimension's scale, which may differ from the instrument's.
      const { min, max } = dimensionScale(def, items.get(key)!.dimension);
      const value = Number(cell);
      if (!/^-?\d+$/.test(cell) || value < min || value > max) {
        problems.push({
          line,
          column: key,
          message: `"${cell.slice(0, 20)}" is not a whole number from ${min} to ${max}`,
        });
      } else {
        answers.push({ itemKey: key, value });
      }
    }
    if (!answers.length && itemColumns.every(({ index }) => record[index] === '')) {
      problems.push({ line, column: '*', message: 'has no answers' });
    }
    rows.push({ line, teamKey, answers });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, rows, itemKeys: itemColumns.map((c) => c.key) };
}
