import { type FieldProblem, InvalidInput, isCalendarDate, UUID_PATTERN } from '@trellis/errors';
import { FLAG_CODES } from '@trellis/scoring';

/**
 * The rules of a commitment, in one place: the JSON API and the report page's form both hand
 * what they were sent to CommitmentsService, which reads it with these functions and refuses it
 * with every problem named by its field (InvalidInput). Nothing here knows about HTTP or forms.
 */

/** What a client sent, as it was sent: form fields are strings, JSON values may be anything. */
export interface CommitmentDraft {
  action?: unknown;
  owner?: unknown;
  dueOn?: unknown;
  dimension?: unknown;
  flagCode?: unknown;
  roundId?: unknown;
}

/** A commitment that passed its rules (the unit-dependent ones are checked against the unit). */
export interface CommitmentInput {
  action: string;
  owner: string;
  dueOn: string;
  dimension: string;
  flagCode?: string;
  roundId?: string;
}

export type CommitmentStatus = 'open' | 'done' | 'dropped';
export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = ['open', 'done', 'dropped'];

export interface CommitmentChangeDraft {
  status?: unknown;
  action?: unknown;
  owner?: unknown;
  dueOn?: unknown;
  note?: unknown;
}

export interface CommitmentChange {
  status?: CommitmentStatus;
  action?: string;
  owner?: string;
  dueOn?: string;
  /** Why it was marked done or dropped; '' clears it. */
  note?: string;
}

export const ACTION_MAX = 1000;
export const OWNER_MAX = 200;
export const NOTE_MAX = 1000;

/**
 * "Today" for due dates: the day it is in UTC−12, the last place on Earth to reach a date. A
 * leader anywhere may pick the day it is for them, and a date is overdue only once it has passed
 * everywhere, so a commitment accepted today is never overdue today. Organisations have no time
 * zone of their own (campaigns do, and a unit may answer in several), so no zone would be right
 * for everyone; this rule is never wrong against anyone, at the cost of up to a day's grace.
 */
export function earliestToday(now: Date = new Date()): string {
  return new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

/** Whether a commitment is overdue: still open and its day has passed everywhere. */
export function isOverdue(
  commitment: { status: CommitmentStatus; dueOn: string },
  now: Date = new Date(),
): boolean {
  return commitment.status === 'open' && commitment.dueOn < earliestToday(now);
}

/** What a person reads when they pick a day that has passed. */
export const PAST_DATE_MESSAGE = 'Pick a date from today on';
const DIMENSION_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Absent: undefined or null; for a choice a form may leave empty, also ''. */
const absent = (v: unknown) => v === undefined || v === null || v === '';
const EMPTY_IS_NONE: ReadonlySet<string> = new Set(['flagCode', 'roundId']);

type Read<T> = { value: T } | { problem: string };

/**
 * The messages are written for the person at the form (the page shows them as they are, and the
 * JSON API names the field beside them): what to do, not what the value "must" be.
 */
function text(v: unknown, max: number, missing: string, what: string): Read<string> {
  if (absent(v)) return { problem: missing };
  if (typeof v !== 'string') return { problem: `Write ${what} as text` };
  const trimmed = v.trim();
  if (!trimmed) return { problem: missing };
  if (trimmed.length > max)
    return { problem: `Keep ${what} to ${max} characters (it has ${trimmed.length})` };
  if (trimmed.includes('\u0000')) return { problem: `Take the NUL character out of ${what}` };
  return { value: trimmed };
}

function day(v: unknown): Read<string> {
  return isCalendarDate(v)
    ? { value: v }
    : { problem: 'Pick a date that exists, written like 2026-11-23' };
}

const READERS = {
  action: (v: unknown) =>
    text(v, ACTION_MAX, 'Say what the team will try', 'what the team will try'),
  owner: (v: unknown) => text(v, OWNER_MAX, 'Say who owns it', 'who owns it'),
  // Optional; '' (an emptied box) clears it.
  note: (v: unknown): Read<string> =>
    v === '' || (typeof v === 'string' && v.trim() === '')
      ? { value: '' }
      : text(v, NOTE_MAX, '', 'the note'),
  dueOn: day,
  dimension: (v: unknown): Read<string> =>
    typeof v === 'string' && DIMENSION_KEY.test(v)
      ? { value: v }
      : { problem: 'Pick the dimension that should move, such as leader_support' },
  flagCode: (v: unknown): Read<string> =>
    typeof v === 'string' && (FLAG_CODES as readonly string[]).includes(v)
      ? { value: v }
      : { problem: `Pick one of the flags: ${FLAG_CODES.join(', ')}` },
  roundId: (v: unknown): Read<string> =>
    typeof v === 'string' && UUID_PATTERN.test(v)
      ? { value: v.toLowerCase() }
      : { problem: 'Give the id of a round' },
  status: (v: unknown): Read<CommitmentStatus> =>
    typeof v === 'string' && (COMMITMENT_STATUSES as readonly string[]).includes(v)
      ? { value: v as CommitmentStatus }
      : { problem: `Pick one of ${COMMITMENT_STATUSES.join(', ')}` },
};

/**
 * Reads the fields named, required or optional; collects every problem before refusing, so a
 * person fixes them all at once.
 */
function readFields<K extends keyof typeof READERS>(
  draft: Partial<Record<K, unknown>>,
  required: readonly K[],
  optional: readonly K[],
): { values: Partial<Record<K, string>>; problems: FieldProblem[] } {
  const values: Partial<Record<K, string>> = {};
  const problems: FieldProblem[] = [];
  for (const field of [...required, ...optional]) {
    const raw = draft[field];
    const none = raw === undefined || raw === null || (raw === '' && EMPTY_IS_NONE.has(field));
    if (!required.includes(field) && none) continue;
    const read = READERS[field](raw);
    if ('problem' in read) problems.push({ field, message: read.problem });
    else values[field] = read.value;
  }
  return { values, problems };
}

/** What a commitment is checked against: what the unit's report knows. */
export interface CommitmentContext {
  /** Dimensions measured for the unit; empty before it has results (then any key is accepted). */
  dimensions: ReadonlySet<string>;
  /** The unit's closed rounds, by id: a baseline must be one of them. */
  rounds: ReadonlySet<string>;
}

/** A new commitment's rules, every problem at once. Throws InvalidInput. */
export function readCommitment(
  draft: CommitmentDraft,
  unit: CommitmentContext,
  now: Date = new Date(),
): CommitmentInput {
  const { values, problems } = readFields(
    draft,
    ['action', 'owner', 'dueOn', 'dimension'] as const,
    ['flagCode', 'roundId'] as const,
  );
  if (values.dueOn && values.dueOn < earliestToday(now))
    problems.push({ field: 'dueOn', message: PAST_DATE_MESSAGE });
  if (values.dimension && unit.dimensions.size && !unit.dimensions.has(values.dimension)) {
    problems.push({
      field: 'dimension',
      message: `Pick a dimension measured for this unit (${[...unit.dimensions].join(', ')})`,
    });
  }
  if (values.roundId && !unit.rounds.has(values.roundId))
    problems.push({ field: 'roundId', message: 'Pick a closed round of this unit' });
  // In the order of the fields, as a form shows them.
  const order = ['action', 'owner', 'dueOn', 'dimension', 'flagCode', 'roundId'];
  problems.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  if (problems.length) throw new InvalidInput(problems);
  return {
    action: values.action!,
    owner: values.owner!,
    dueOn: values.dueOn!,
    dimension: values.dimension!,
    ...(values.flagCode ? { flagCode: values.flagCode } : {}),
    ...(values.roundId ? { roundId: values.roundId } : {}),
  };
}

/**
 * A change to a commitment: each field optional, each with the rules it has on creation. A due
 * date may not move into the past; sending the date it already has (an edit form sends every
 * field) is no move, so an overdue commitment can still be edited or closed.
 */
export function readCommitmentChange(
  draft: CommitmentChangeDraft,
  current: { dueOn: string },
  now: Date = new Date(),
): CommitmentChange {
  const { values, problems } = readFields(draft, [], [
    'status',
    'action',
    'owner',
    'dueOn',
    'note',
  ] as const);
  if (values.dueOn && values.dueOn !== current.dueOn && values.dueOn < earliestToday(now))
    problems.push({ field: 'dueOn', message: PAST_DATE_MESSAGE });
  if (problems.length) throw new InvalidInput(problems);
  return values as CommitmentChange;
}
