import { fieldAt, isRecord, longerThan, own, rejectUnknown } from './field-checks';
import type { ItemDef, Problem, Scale, Validation } from './instrument.types';

export const DEFAULT_MAX_COMMENT_LENGTH = 2000;

/** An asked item the submission does not mention (null, not absence, is how to skip one). */
export const REQUIRED = 'is required: send a value, or null for “Prefer not to answer”';

export interface Answer {
  itemKey: string;
  value: number;
}

export interface Submission {
  /** In the order the items were asked; a skipped item is absent. */
  answers: Answer[];
  /** Trimmed; null when absent or blank. */
  comment: string | null;
  /**
   * Comments on a theme (a dimension), at most one per dimension, in the order sent; blanks
   * dropped; absent when there are none.
   */
  comments?: ThemedComment[];
}

/** A comment on one dimension of the instrument; a general comment is `comment`. */
export interface ThemedComment {
  dimension: string;
  text: string;
}

/** How many comments one person may leave: one per dimension and one general. */
export const MAX_THEMED_COMMENTS = 20;

export interface SubmissionOptions {
  maxCommentLength?: number;
  /**
   * Whether this form takes a comment at all (a leader's self-view takes none). When it does
   * not, a comment with any text is a problem on `comment`, named with the others.
   */
  allowComment?: boolean;
  /** Dimensions a themed comment may be on; by default those of the asked items. */
  dimensions?: readonly string[];
}

/** The message for a submission that skipped every statement it was asked. */
export const NOTHING_ANSWERED =
  'has no answer: every statement was skipped. Answer at least one, or leave this page without sending';

/**
 * Checks one person's answers to the items a round asked. Every asked item needs a decision: a
 * value on the scale, or `null` for "Prefer not to answer" (domain.md §2 and §4: skipping is
 * allowed; a person's dimension score is the mean of what they answered, and they count for a
 * dimension when they answered at least half its items). An item left out altogether is still a
 * problem: it is more often a slip (a client's bug, a statement scrolled past) than a choice, and
 * a choice is what "skip" should be. A submission that skips everything is refused: it would
 * count as a respondent in the response rate while adding no answer to any figure.
 * All problems are reported together so the form can mark every field at once.
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
  rejectUnknown(input, ['answers', 'comment', 'comments'], '', problems);
  const answers = readAnswers(own(input, 'answers'), asked, scale, problems);
  const comment = readComment(
    own(input, 'comment'),
    maxComment,
    options.allowComment ?? true,
    problems,
  );
  const comments = readThemedComments(
    own(input, 'comments'),
    options.dimensions ?? asked.map((item) => item.dimension),
    maxComment,
    options.allowComment ?? true,
    problems,
  );
  if (problems.length > 0 || !answers || comment === undefined || !comments) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: { answers, comment, ...(comments.length > 0 ? { comments } : {}) },
  };
}

/**
 * A person's comments alone (a general one and at most one per theme), checked exactly as a
 * submission's: for comments that arrive beside answers another way (a history import).
 */
export function validateComments(
  input: unknown,
  dimensions: readonly string[],
  maxCommentLength = DEFAULT_MAX_COMMENT_LENGTH,
): Validation<{ comment: string | null; comments: ThemedComment[] }> {
  if (!isRecord(input)) {
    return { ok: false, problems: [{ field: '', message: 'must be an object' }] };
  }
  const problems: Problem[] = [];
  rejectUnknown(input, ['comment', 'comments'], '', problems);
  const comment = readComment(own(input, 'comment'), maxCommentLength, true, problems);
  const comments = readThemedComments(
    own(input, 'comments'),
    dimensions,
    maxCommentLength,
    true,
    problems,
  );
  if (problems.length > 0 || comment === undefined || !comments) return { ok: false, problems };
  return { ok: true, value: { comment, comments } };
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
  let skipped = 0;
  for (const { key, dimension } of asked) {
    const scale = typeof scaleOf === 'function' ? scaleOf(dimension) : scaleOf;
    const range = `must be a whole number from ${scale.min} to ${scale.max}`;
    if (askedKeys.has(key)) continue;
    askedKeys.add(key);
    const field = fieldAt('answers', key);
    if (!Object.hasOwn(value, key)) {
      problems.push({ field, message: REQUIRED });
      continue;
    }
    const answer = value[key];
    if (answer === null) {
      skipped++;
      continue;
    }
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
  if (askedKeys.size > 0 && skipped === askedKeys.size) {
    problems.push({ field: 'answers', message: NOTHING_ANSWERED });
  }
  return answers;
}

/**
 * `comments: [{ dimension, text }]`. One per dimension: the comment minimum counts people, and
 * a person's comments are stored together as one author, so nothing is gained by several on
 * one theme except a way to stand out. Undefined means a problem was reported.
 */
function readThemedComments(
  value: unknown,
  dimensions: readonly string[],
  max: number,
  allowed: boolean,
  problems: Problem[],
): ThemedComment[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ field: 'comments', message: 'must be a list of { dimension, text }' });
    return undefined;
  }
  if (value.length > MAX_THEMED_COMMENTS) {
    problems.push({
      field: 'comments',
      message: `must hold at most ${MAX_THEMED_COMMENTS} comments`,
    });
    return undefined;
  }
  const known = new Set(dimensions);
  const seen = new Set<string>();
  const comments: ThemedComment[] = [];
  let ok = true;
  value.forEach((entry: unknown, index) => {
    const at = `comments.${index}`;
    if (!isRecord(entry)) {
      problems.push({ field: at, message: 'must be an object with dimension and text' });
      ok = false;
      return;
    }
    const before = problems.length;
    rejectUnknown(entry, ['dimension', 'text'], at, problems);
    const dimension = own(entry, 'dimension');
    if (typeof dimension !== 'string' || !known.has(dimension)) {
      problems.push({
        field: `${at}.dimension`,
        message: `must be one of the themes asked: ${[...known].join(', ')}`,
      });
    } else if (seen.has(dimension)) {
      problems.push({ field: `${at}.dimension`, message: 'has a comment already (one per theme)' });
    } else {
      seen.add(dimension);
    }
    const text = readComment(own(entry, 'text'), max, allowed, problems, `${at}.text`);
    if (problems.length > before || text === undefined) {
      ok = false;
      return;
    }
    if (text !== null && typeof dimension === 'string') comments.push({ dimension, text });
  });
  return ok ? comments : undefined;
}

/** Undefined means a problem was reported; null means no comment. */
function readComment(
  value: unknown,
  max: number,
  allowed: boolean,
  problems: Problem[],
  field = 'comment',
): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push({ field, message: 'must be text' });
    return undefined;
  }
  const comment = value.trim();
  if (!allowed) {
    if (comment === '') return null;
    problems.push({
      field,
      message: 'this form takes no comment (a leader’s self-view has none)',
    });
    return undefined;
  }
  // PostgreSQL cannot store NUL in text: name it here rather than fail on insert.
  if (comment.includes('\u0000')) {
    problems.push({ field, message: 'must not contain the NUL character' });
    return undefined;
  }
  if (longerThan(comment, max)) {
    problems.push({ field, message: `must be at most ${max} characters` });
    return undefined;
  }
  return comment === '' ? null : comment;
}
