import {
  CALENDAR_DATE_MESSAGE,
  type FieldProblem,
  InvalidInput,
  isCalendarDate,
  UUID_PATTERN,
} from '@trellis/errors';
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
}

export interface CommitmentChange {
  status?: CommitmentStatus;
  action?: string;
  owner?: string;
  dueOn?: string;
}

export const ACTION_MAX = 1000;
export const OWNER_MAX = 200;
const DIMENSION_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Absent: undefined or null; for a choice a form may leave empty, also ''. */
const absent = (v: unknown) => v === undefined || v === null || v === '';
const EMPTY_IS_NONE: ReadonlySet<string> = new Set(['flagCode', 'roundId']);

type Read<T> = { value: T } | { problem: string };

function text(v: unknown, max: number, missing: string): Read<string> {
  if (absent(v)) return { problem: missing };
  if (typeof v !== 'string') return { problem: 'must be text' };
  const trimmed = v.trim();
  if (!trimmed) return { problem: missing };
  if (trimmed.length > max) return { problem: `must be at most ${max} characters` };
  if (trimmed.includes('\u0000')) return { problem: 'must not contain the NUL character' };
  return { value: trimmed };
}

function day(v: unknown): Read<string> {
  return isCalendarDate(v) ? { value: v } : { problem: CALENDAR_DATE_MESSAGE };
}

const READERS = {
  action: (v: unknown) => text(v, ACTION_MAX, 'say what the team will try'),
  owner: (v: unknown) => text(v, OWNER_MAX, 'say who owns it'),
  dueOn: day,
  dimension: (v: unknown): Read<string> =>
    typeof v === 'string' && DIMENSION_KEY.test(v)
      ? { value: v }
      : { problem: 'must be a dimension key, such as leader_support' },
  flagCode: (v: unknown): Read<string> =>
    typeof v === 'string' && (FLAG_CODES as readonly string[]).includes(v)
      ? { value: v }
      : { problem: `must be one of ${FLAG_CODES.join(', ')}` },
  roundId: (v: unknown): Read<string> =>
    typeof v === 'string' && UUID_PATTERN.test(v)
      ? { value: v.toLowerCase() }
      : { problem: 'must be the id of a round' },
  status: (v: unknown): Read<CommitmentStatus> =>
    typeof v === 'string' && (COMMITMENT_STATUSES as readonly string[]).includes(v)
      ? { value: v as CommitmentStatus }
      : { problem: `must be one of ${COMMITMENT_STATUSES.join(', ')}` },
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
export function readCommitment(draft: CommitmentDraft, unit: CommitmentContext): CommitmentInput {
  const { values, problems } = readFields(
    draft,
    ['action', 'owner', 'dueOn', 'dimension'] as const,
    ['flagCode', 'roundId'] as const,
  );
  if (values.dimension && unit.dimensions.size && !unit.dimensions.has(values.dimension)) {
    problems.push({
      field: 'dimension',
      message: `is not measured for this unit (known: ${[...unit.dimensions].join(', ')})`,
    });
  }
  if (values.roundId && !unit.rounds.has(values.roundId))
    problems.push({ field: 'roundId', message: 'is not a closed round of this unit' });
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

/** A change to a commitment: each field optional, each with the rules it has on creation. */
export function readCommitmentChange(draft: CommitmentChangeDraft): CommitmentChange {
  const { values, problems } = readFields(draft, [], [
    'status',
    'action',
    'owner',
    'dueOn',
  ] as const);
  if (problems.length) throw new InvalidInput(problems);
  return values as CommitmentChange;
}
