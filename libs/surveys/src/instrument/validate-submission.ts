import { fieldAt, isRecord, longerThan, own, rejectUnknown } from './field-checks';
import type { ItemDef, Problem, Scale, Validation } from './instrument.types';

export const DEFAULT_MAX_COMMENT_LENGTH = 2000;

export interface Answer {
  itemKey: string;
  value: number;
}

export interface Submission {
  /** In the order the items were asked. */
  answers: Answer[];
  /** Trimmed; null when absent or blank. */
  comment: string | null;
}

export interface SubmissionOptions {
  maxCommentLength?: number;
  /**
   * Whether this form takes a comment at all (a leader's self-view takes none). When it does
   * not, a comment with any text is a problem on `comment`, named with the others.
   */
  allowComment?: boolean;
}

/**
 * Checks one person's answers to the items a round asked. Every asked item is required: a
 * partial answer set would let a person's dimension score rest on fewer items than their
 * teammates'. All problems are reported together so the form can mark every field at once.
 */
export function validateSubmission(
  input: unknown,
  asked: ItemDef[],
  /** The instrument's scale, or each item's by its dimension (see dimensionScale). */
  scale: Scale | ((dimension: string) => Scale),
  options: SubmissionOptions = {},
): Validation<Submission> {
  const maxComment = options.maxCommentLength ?? DEFAULT_MAX_COMMENT_LENGTH;
  if (!Number.isSafeInteger(maxComment) || maxComment < 0) {
    throw new RangeError(`maxCommentLength must be a whole number ≥ 0, got ${maxComment}`);
  }
  if (!isRecord(input)) {
    return { ok: false, problems: [{ field: 'submission', message: 'must be an object' }] };
  }
  const problems: Problem[] = [];
  rejectUnknown(input, ['answers', 'comment'], '', problems);
  const answers = readAnswers(own(input, 'answers'), asked, scale, problems);
  const comment = readComment(
    own(input, 'comment'),
    maxComment,
    options.allowComment ?? true,
    problems,
  );
  if (problems.length > 0 || !answers || comment === undefined) return { ok: false, problems };
  return { ok: true, value: { answers, comment } };
}

function readAnswers(
  value: unknown,
  asked: ItemDef[],
  scaleOf: Scale | ((dimension: string) => Scale),
  problems: Problem[],
): Answer[] | undefined {
  if (!isRecord(value)) {
    const message = value === undefined || value === null ? 'is required' : 'must be an object';
    problems.push({ field: 'answers', message });
    return undefined;
  }
  const askedKeys = new Set<string>();
  const answers: Answer[] = [];
  for (const { key, dimension } of asked) {
    const scale = typeof scaleOf === 'function' ? scaleOf(dimension) : scaleOf;
    const range = `must be a whole number from ${scale.min} to ${scale.max}`;
    if (askedKeys.has(key)) continue;
    askedKeys.add(key);
    const field = fieldAt('answers', key);
    if (!Object.hasOwn(value, key)) {
      problems.push({ field, message: 'is required' });
      continue;
    }
    const answer = value[key];
    // typeof rules out "3" and true, which loose checks would coerce into valid-looking numbers.
    if (typeof answer !== 'number' || !Number.isInteger(answer)) {
      problems.push({ field, message: range });
    } else if (answer < scale.min || answer > scale.max) {
      problems.push({ field, message: `${range}; got ${answer}` });
    } else {
      // `+ 0` turns -0 (which JSON.parse('-0') yields) into 0.
      answers.push({ itemKey: key, value: answer + 0 });
    }
  }
  for (const key of Object.keys(value)) {
    if (!askedKeys.has(key)) {
      problems.push({ field: fieldAt('answers', key), message: 'is not asked in this round' });
    }
  }
  return answers;
}

/** Undefined means a problem was reported; null means no comment. */
function readComment(
  value: unknown,
  max: number,
  allowed: boolean,
  problems: Problem[],
): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push({ field: 'comment', message: 'must be text' });
    return undefined;
  }
  const comment = value.trim();
  if (!allowed) {
    if (comment === '') return null;
    problems.push({
      field: 'comment',
      message: 'this form takes no comment (a leader’s self-view has none)',
    });
    return undefined;
  }
  // PostgreSQL cannot store NUL in text: name it here rather than fail on insert.
  if (comment.includes('\u0000')) {
    problems.push({ field: 'comment', message: 'must not contain the NUL character' });
    return undefined;
  }
  if (longerThan(comment, max)) {
    problems.push({ field: 'comment', message: `must be at most ${max} characters` });
    return undefined;
  }
  return comment === '' ? null : comment;
}
