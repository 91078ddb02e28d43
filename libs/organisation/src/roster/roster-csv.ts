/**
 * Parser and validator for the HR system's people/team export (one row per
 * team membership). Pure on purpose: callers decide what to do with the rows,
 * and the whole file is checked so HR can fix every mistake in one go.
 */
import { CsvError, parse } from 'csv-parse/sync';

export type RosterRole = 'member' | 'leader';

export interface RosterRow {
  line: number;
  email: string;
  name: string;
  teamKey: string;
  teamName: string;
  departmentPath: string[];
  role: RosterRole;
}

export interface RosterProblem {
  line: number;
  column: string;
  message: string;
}

export type RosterParseResult =
  { ok: true; rows: RosterRow[] } | { ok: false; problems: RosterProblem[] };

const FIELDS = ['email', 'name', 'team_key', 'team_name', 'department', 'role'] as const;
type Field = (typeof FIELDS)[number];

export const ROSTER_COLUMNS: readonly string[] = FIELDS;

const DEFAULT_MAX_ROWS = 50_000;
const MAX_EMAIL_LENGTH = 254;
const MAX_TEXT_LENGTH = 200;
const MAX_DEPARTMENT_LEVELS = 10;
const TEAM_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Deliberately loose: the HR system is the source of truth, we only catch obvious garbage.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const WHOLE_ROW = '*';

/** First/last name columns are not fields of their own; they are merged into `name`. */
type HeaderSlot = Field | 'first_name' | 'last_name';

// Keys are header names after normaliseHeader().
const HEADER_ALIASES: Record<string, HeaderSlot> = {
  email: 'email',
  e_mail: 'email',
  email_address: 'email',
  work_email: 'email',
  name: 'name',
  full_name: 'name',
  display_name: 'name',
  first_name: 'first_name',
  given_name: 'first_name',
  last_name: 'last_name',
  surname: 'last_name',
  team_key: 'team_key',
  team_id: 'team_key',
  team_code: 'team_key',
  team: 'team_key',
  team_name: 'team_name',
  department: 'department',
  department_path: 'department',
  org_path: 'department',
  role: 'role',
  team_role: 'role',
  membership_role: 'role',
};

const ROLE_ALIASES: Record<string, RosterRole> = {
  member: 'member',
  employee: 'member',
  leader: 'leader',
  lead: 'leader',
  manager: 'leader',
};

export function parseRosterCsv(
  text: string,
  options: { maxRows?: number } = {},
): RosterParseResult {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const read = readRecords(source, maxRows);

  if (read.overflowLine !== undefined) {
    return fail([
      {
        line: read.overflowLine,
        column: WHOLE_ROW,
        message: `The file has more than ${maxRows} rows; split it into files of at most ${maxRows} rows.`,
      },
    ]);
  }
  const syntaxProblems = read.syntaxProblem ? [read.syntaxProblem] : [];
  if (!read.header) {
    return fail(
      syntaxProblems.length
        ? syntaxProblems
        : [{ line: 1, column: WHOLE_ROW, message: 'The file is empty.' }],
    );
  }

  const layout = readHeader(read.header);
  if ('problems' in layout) return fail([...layout.problems, ...syntaxProblems]);
  if (read.rows.length === 0 && syntaxProblems.length === 0) {
    return fail([
      {
        line: read.header.line,
        column: WHOLE_ROW,
        message: 'The file has a header line but no rows of people.',
      },
    ]);
  }

  const { rows, problems } = validateRows(read.rows, layout, read.header.cells.length);
  problems.push(...syntaxProblems);
  return problems.length ? fail(problems) : { ok: true, rows };
}

function fail(problems: RosterProblem[]): RosterParseResult {
  const order = (column: string) =>
    column === WHOLE_ROW ? -1 : (FIELDS as readonly string[]).indexOf(column);
  // Array#sort is stable, so problems of the same cell keep the order they were found in.
  return {
    ok: false,
    problems: [...problems].sort((a, b) => a.line - b.line || order(a.column) - order(b.column)),
  };
}

// ---------------------------------------------------------------- reading CSV

interface CsvRecord {
  line: number;
  cells: string[];
}

interface ReadResult {
  header?: CsvRecord;
  rows: CsvRecord[];
  syntaxProblem?: RosterProblem;
  overflowLine?: number;
}

/** Thrown from on_record to abort csv-parse once the row limit is exceeded. */
const TOO_MANY_ROWS = new Error('too many rows');

function readRecords(source: string, maxRows: number): ReadResult {
  const buffer = Buffer.from(source, 'utf8');
  const lineAt = lineLocator(buffer);
  const result: ReadResult = { rows: [] };
  // csv-parse's own `info.lines` is the line where a record ENDS, and it counts
  // a CRLF inside a quoted value as two lines, so we derive start lines from
  // byte offsets instead: a record starts after the previous one's end, past any blank lines.
  let previousEnd = 0;
  const startOfNextRecord = () => lineAt(skipLineBreaks(buffer, previousEnd));

  try {
    parse(buffer, {
      delimiter: detectDelimiter(source),
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (cells: string[], info) => {
        const record = { line: startOfNextRecord(), cells };
        previousEnd = info.bytes;
        // Spreadsheets love to export rows of nothing but delimiters; treat them as blank lines.
        if (cells.every((cell) => cell.trim() === '')) return null;
        if (!result.header) {
          result.header = record;
        } else if (result.rows.length === maxRows) {
          result.overflowLine = record.line;
          throw TOO_MANY_ROWS;
        } else {
          result.rows.push(record);
        }
        return null; // we keep our own list, so csv-parse need not build one
      },
    });
  } catch (error) {
    if (error !== TOO_MANY_ROWS) {
      result.syntaxProblem = {
        line: startOfNextRecord(),
        column: WHOLE_ROW,
        message: describeCsvError(error),
      };
    }
  }
  return result;
}

// Only the errors real exports produce get a tailored message; the rest share a generic one.
const CSV_ERROR_MESSAGES: Partial<Record<CsvError['code'], string>> = {
  CSV_QUOTE_NOT_CLOSED: 'This row has a quote (") that is never closed.',
  CSV_INVALID_CLOSING_QUOTE:
    'This row has text right after a closing quote ("); put the whole value in quotes and double any quotes inside it.',
  INVALID_OPENING_QUOTE:
    'This row has a quote (") in the middle of a value; put the whole value in quotes and double any quotes inside it.',
};

function describeCsvError(error: unknown): string {
  const known = error instanceof CsvError ? CSV_ERROR_MESSAGES[error.code] : undefined;
  return `${known ?? 'This row could not be read as CSV.'} Rows after it were not checked.`;
}

const CR = 0x0d;
const LF = 0x0a;

/** Maps a byte offset to its 1-based line; CRLF, LF and a lone CR each end a line. */
function lineLocator(buffer: Buffer): (offset: number) => number {
  const lineStarts = [0];
  for (let i = 0; i < buffer.length; i++) {
    if (buffer[i] === LF || (buffer[i] === CR && buffer[i + 1] !== LF)) lineStarts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function skipLineBreaks(buffer: Buffer, offset: number): number {
  let position = offset;
  while (buffer[position] === CR || buffer[position] === LF) position++;
  return position;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The most frequent candidate outside quotes on the header line wins; ties favour the comma. */
function detectDelimiter(source: string): string {
  const headerLine = firstNonBlankLine(source);
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: string = DELIMITERS[0];
  for (const candidate of DELIMITERS) {
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  }
  return best;
}

function firstNonBlankLine(source: string): string {
  for (const [line] of source.matchAll(/[^\r\n]+/g)) {
    if (line.trim() !== '') return line;
  }
  return '';
}

// ---------------------------------------------------------------- header

/** Cell index per field; `name` may instead be assembled from first/last name cells. */
interface Layout {
  index: Partial<Record<Field, number>>;
  firstName?: number;
  lastName?: number;
}

const ACCEPTED_HEADERS: Record<'email' | 'team_key', string> = {
  email: '"email" column (or "e-mail", "email address", "work email")',
  team_key: '"team_key" column (or "team id", "team code", "team")',
};

function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

function readHeader(header: CsvRecord): Layout | { problems: RosterProblem[] } {
  const slots: Partial<Record<HeaderSlot, number>> = {};
  const problems: RosterProblem[] = [];
  const problem = (column: string, message: string) =>
    problems.push({ line: header.line, column, message });

  header.cells.forEach((cell, index) => {
    const slot = Object.hasOwn(HEADER_ALIASES, normaliseHeader(cell))
      ? HEADER_ALIASES[normaliseHeader(cell)]
      : undefined;
    if (!slot) return; // unknown columns are allowed, the HR export has plenty
    const earlier = slots[slot];
    if (earlier !== undefined) {
      const column = slot === 'first_name' || slot === 'last_name' ? 'name' : slot;
      problem(
        column,
        `The columns "${header.cells[earlier].trim()}" and "${cell.trim()}" mean the same thing; keep only one.`,
      );
    } else {
      slots[slot] = index;
    }
  });

  for (const field of ['email', 'team_key'] as const) {
    if (slots[field] === undefined) problem(field, `The file has no ${ACCEPTED_HEADERS[field]}.`);
  }
  const hasSplitName = slots.first_name !== undefined && slots.last_name !== undefined;
  if (slots.name === undefined && !hasSplitName) {
    problem(
      'name',
      'The file has no "name" column; add a "name" (or "full name") column, or both "first name" and "last name" columns.',
    );
  }
  if (problems.length) return { problems };

  const { first_name: firstName, last_name: lastName, ...index } = slots;
  return slots.name === undefined ? { index, firstName, lastName } : { index };
}

// ---------------------------------------------------------------- rows

type Check<T> = { ok: true; value: T } | { ok: false; message: string };

const valid = <T>(value: T): Check<T> => ({ ok: true, value });
const invalid = <T>(message: string): Check<T> => ({ ok: false, message });

/** Quotes a value for a message, shortened so one bad cell cannot flood the report. */
function show(value: string): string {
  const chars = [...value];
  return JSON.stringify(chars.length > 60 ? chars.slice(0, 40).join('') + '…' : value);
}

const lengthOf = (value: string) => [...value].length;

function checkEmail(raw: string): Check<string> {
  const email = raw.trim().toLowerCase();
  if (email === '') return invalid('Email is missing.');
  if (lengthOf(email) > MAX_EMAIL_LENGTH)
    return invalid(`Email is longer than ${MAX_EMAIL_LENGTH} characters.`);
  if (!EMAIL_PATTERN.test(email)) return invalid(`${show(raw.trim())} is not an email address.`);
  return valid(email);
}

function checkName(raw: string): Check<string> {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') return invalid('Name is missing.');
  if (lengthOf(name) > MAX_TEXT_LENGTH)
    return invalid(`Name is longer than ${MAX_TEXT_LENGTH} characters.`);
  return valid(name);
}

function checkTeamKey(raw: string): Check<string> {
  const teamKey = raw.trim();
  if (teamKey === '') return invalid('Team key is missing.');
  if (!TEAM_KEY_PATTERN.test(teamKey)) {
    return invalid(
      `${show(teamKey)} is not a valid team key; use up to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.`,
    );
  }
  return valid(teamKey);
}

/** An empty team name is valid; the caller falls back to the team key. */
function checkTeamName(raw: string): Check<string> {
  const teamName = raw.trim();
  if (lengthOf(teamName) > MAX_TEXT_LENGTH)
    return invalid(`Team name is longer than ${MAX_TEXT_LENGTH} characters.`);
  return valid(teamName);
}

function checkDepartment(raw: string): Check<string[]> {
  if (raw.trim() === '') return valid([]);
  const segments = raw.split(/[/>]/).map((segment) => segment.trim());
  if (segments.some((segment) => segment === ''))
    return invalid(`Department ${show(raw.trim())} has an empty level.`);
  const tooLong = segments.find((segment) => lengthOf(segment) > MAX_TEXT_LENGTH);
  if (tooLong !== undefined)
    return invalid(
      `Department level ${show(tooLong)} is longer than ${MAX_TEXT_LENGTH} characters.`,
    );
  if (segments.length > MAX_DEPARTMENT_LEVELS) {
    return invalid(
      `Department ${show(raw.trim())} has ${segments.length} levels; at most ${MAX_DEPARTMENT_LEVELS} are allowed.`,
    );
  }
  return valid(segments);
}

function checkRole(raw: string): Check<RosterRole> {
  const role = raw.trim().toLowerCase();
  if (role === '') return valid('member');
  if (Object.hasOwn(ROLE_ALIASES, role)) return valid(ROLE_ALIASES[role]);
  return invalid(`${show(raw.trim())} is not a valid role; use "member" or "leader".`);
}

const describeDepartment = (path: string[]) =>
  path.length ? show(path.join(' / ')) : 'no department';

/** What earlier rows said, so later rows can be checked against the first occurrence. */
interface Seen {
  membership: Map<string, number>;
  nameByEmail: Map<string, { name: string; line: number }>;
  teamName: Map<string, { teamName: string; line: number }>;
  department: Map<string, { path: string[]; line: number }>;
}

function validateRows(records: CsvRecord[], layout: Layout, columnCount: number) {
  const rows: RosterRow[] = [];
  const problems: RosterProblem[] = [];
  const seen: Seen = {
    membership: new Map(),
    nameByEmail: new Map(),
    teamName: new Map(),
    department: new Map(),
  };

  for (const { line, cells } of records) {
    const report = (column: string, message: string) => problems.push({ line, column, message });
    if (cells.length !== columnCount) {
      // Cells no longer line up with the header, so checking them would only add noise.
      report(
        WHOLE_ROW,
        `This row has ${cells.length} values but the header has ${columnCount} columns.`,
      );
      continue;
    }
    // PostgreSQL cannot store NUL in text; say where it is rather than fail on insert.
    const used = [...Object.values(layout.index), layout.firstName, layout.lastName];
    const nul = cells.findIndex((c, i) => used.includes(i) && c.includes('\u0000'));
    if (nul >= 0) {
      const named = Object.entries(layout.index).find(([, index]) => index === nul)?.[0];
      const column =
        named ?? (nul === layout.firstName || nul === layout.lastName ? 'name' : WHOLE_ROW);
      report(column, 'This value contains a NUL character, which cannot be stored.');
      continue;
    }
    const cell = (index: number | undefined) => (index === undefined ? '' : cells[index]);
    const take = <T>(column: Field, check: Check<T>): T | undefined => {
      if (check.ok) return check.value;
      report(column, check.message);
      return undefined;
    };
    const rawName =
      layout.firstName === undefined
        ? cell(layout.index.name)
        : `${cell(layout.firstName)} ${cell(layout.lastName)}`;

    const email = take('email', checkEmail(cell(layout.index.email)));
    const name = take('name', checkName(rawName));
    const teamKey = take('team_key', checkTeamKey(cell(layout.index.team_key)));
    const teamNameCell = take('team_name', checkTeamName(cell(layout.index.team_name)));
    const teamName =
      teamKey === undefined || teamNameCell === undefined ? undefined : teamNameCell || teamKey;
    const departmentPath = take('department', checkDepartment(cell(layout.index.department)));
    const role = take('role', checkRole(cell(layout.index.role)));

    const before = problems.length;
    checkAgainstEarlierRows(seen, line, report, { email, name, teamKey, teamName, departmentPath });

    if (
      email !== undefined &&
      name !== undefined &&
      teamKey !== undefined &&
      teamName !== undefined &&
      departmentPath !== undefined &&
      role !== undefined &&
      problems.length === before
    ) {
      rows.push({ line, email, name, teamKey, teamName, departmentPath, role });
    }
  }
  return { rows, problems };
}

/** Each rule runs as soon as the cells it needs are valid, so one bad cell does not hide other conflicts. */
function checkAgainstEarlierRows(
  seen: Seen,
  line: number,
  report: (column: string, message: string) => void,
  row: {
    email?: string;
    name?: string;
    teamKey?: string;
    teamName?: string;
    departmentPath?: string[];
  },
): void {
  const { email, name, teamKey, teamName, departmentPath } = row;
  if (email !== undefined && teamKey !== undefined) {
    const key = JSON.stringify([email, teamKey]);
    const earlier = seen.membership.get(key);
    if (earlier !== undefined)
      report('email', `${email} is already in team ${show(teamKey)} on line ${earlier}.`);
    else seen.membership.set(key, line);
  }
  if (email !== undefined && name !== undefined) {
    const earlier = seen.nameByEmail.get(email);
    if (!earlier) seen.nameByEmail.set(email, { name, line });
    else if (earlier.name !== name) {
      report(
        'name',
        `${email} is called ${show(earlier.name)} on line ${earlier.line} but ${show(name)} here.`,
      );
    }
  }
  if (teamKey !== undefined && teamName !== undefined) {
    const earlier = seen.teamName.get(teamKey);
    if (!earlier) seen.teamName.set(teamKey, { teamName, line });
    else if (earlier.teamName !== teamName) {
      report(
        'team_name',
        `Team ${show(teamKey)} is named ${show(earlier.teamName)} on line ${earlier.line} but ${show(teamName)} here.`,
      );
    }
  }
  if (teamKey !== undefined && departmentPath !== undefined) {
    const earlier = seen.department.get(teamKey);
    if (!earlier) seen.department.set(teamKey, { path: departmentPath, line });
    else if (JSON.stringify(earlier.path) !== JSON.stringify(departmentPath)) {
      report(
        'department',
        `Team ${show(teamKey)} is in ${describeDepartment(earlier.path)} on line ${earlier.line} but in ${describeDepartment(departmentPath)} here.`,
      );
    }
  }
}
