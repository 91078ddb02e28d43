import type { Problem } from './instrument.types';

/** Small readers shared by the validators: each reports into `problems` and never throws. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads only own properties, so keys like `constructor` or `__proto__` never reach Object.prototype. */
export function own(record: Record<string, unknown>, property: string): unknown {
  return Object.hasOwn(record, property) ? record[property] : undefined;
}

/** An empty property name is shown quoted, so no problem ever has an empty or dangling field. */
export function fieldAt(parent: string, property: string): string {
  const name = property === '' ? '""' : property;
  return parent === '' ? name : `${parent}.${name}`;
}

export function rejectUnknown(
  record: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  problems: Problem[],
): void {
  for (const property of Object.keys(record)) {
    if (!allowed.includes(property)) {
      problems.push({ field: fieldAt(at, property), message: 'is not allowed' });
    }
  }
}

/** Counts code points, as PostgreSQL does, so an emoji counts as one character. */
export function longerThan(text: string, max: number): boolean {
  // Code points never outnumber UTF-16 units, so most texts need no counting.
  if (text.length <= max) return false;
  let count = 0;
  for (let i = 0; i < text.length; i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) {
    if (++count > max) return true;
  }
  return false;
}

export interface TextRule {
  required: boolean;
  max: number;
  pattern?: RegExp;
  patternHint?: string;
}

/**
 * Null counts as absent so clients may send `null` for an unset optional field. Free text is
 * trimmed; patterned text (keys) is not, so stray whitespace fails the pattern instead of
 * silently becoming a different key.
 */
export function readText(
  value: unknown,
  field: string,
  rule: TextRule,
  problems: Problem[],
): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required) problems.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, message: 'must be text' });
    return undefined;
  }
  const text = rule.pattern ? value : value.trim();
  const before = problems.length;
  if (rule.required && text === '') {
    problems.push({ field, message: 'must not be empty' });
  } else if (longerThan(text, rule.max)) {
    problems.push({ field, message: `must be at most ${rule.max} characters` });
  } else if (rule.pattern && !rule.pattern.test(text)) {
    problems.push({ field, message: rule.patternHint ?? 'has an invalid format' });
  }
  return problems.length === before ? text : undefined;
}

/** `readText` for `record[property]`, naming the field `at.property`. */
export function readTextAt(
  record: Record<string, unknown>,
  at: string,
  property: string,
  rule: TextRule,
  problems: Problem[],
): string | undefined {
  return readText(own(record, property), fieldAt(at, property), rule, problems);
}

export function readInteger(
  value: unknown,
  field: string,
  problems: Problem[],
): number | undefined {
  if (value === undefined || value === null) {
    problems.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    problems.push({ field, message: 'must be a whole number' });
    return undefined;
  }
  return value;
}

/**
 * A list longer than allowed is reported once and its entries are not checked, so one oversized
 * request cannot produce an unbounded list of problems.
 */
export function readList(
  value: unknown,
  field: string,
  limits: { min: number; max: number },
  problems: Problem[],
): unknown[] | undefined {
  if (value === undefined || value === null) {
    problems.push({ field, message: 'is required' });
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push({ field, message: 'must be a list' });
    return undefined;
  }
  const list: unknown[] = value;
  if (list.length < limits.min || list.length > limits.max) {
    problems.push({ field, message: `must have ${limits.min} to ${limits.max} entries` });
    return list.length > limits.max ? undefined : list;
  }
  return list;
}
