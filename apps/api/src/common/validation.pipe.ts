import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { invalid, type FieldProblem } from '@trellis/errors';

const MAX_DEPTH = 32;
/** More fields than any request declares; a body with more is refused before it is looked at. */
export const MAX_FIELDS = 1000;
/** How many unknown fields a refusal names; the rest are not worth the work. */
const NAMED_UNKNOWN = 10;

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts messages with the property name; the field is named separately.
      message: message.startsWith(`${e.property} `)
        ? message.slice(e.property.length + 1)
        : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Problems no DTO can express: PostgreSQL cannot store NUL in text, class-transformer recurses
 * once per nesting level, and its cost grows with the square of an object's fields (it removes
 * duplicate keys with indexOf). Walks iteratively so hostile depth cannot overflow the stack,
 * and counts an object's fields before visiting any, so the walk stays linear.
 */
function structuralProblem(value: unknown, root: string): FieldProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000'))
        return { field: path, message: 'must not contain the NUL character' };
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH)
        return { field: path, message: `is nested more than ${MAX_DEPTH} levels deep` };
      const keys = Object.keys(v);
      if (keys.length > MAX_FIELDS)
        return {
          field: path,
          message: `has ${keys.length} fields; at most ${MAX_FIELDS} are accepted`,
        };
      for (const key of keys) {
        const child = (v as Record<string, unknown>)[key];
        stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return null;
}

const declaredFields = new WeakMap<object, Set<string>>();

/** The fields a DTO declares, as class-validator's whitelist sees them. */
function declared(metatype: new (...args: unknown[]) => unknown): Set<string> {
  let fields = declaredFields.get(metatype);
  if (!fields) {
    fields = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(metatype, '', true, false)
        .map((m) => m.propertyName),
    );
    declaredFields.set(metatype, fields);
  }
  return fields;
}

/**
 * Fields the DTO does not declare, refused in one linear pass before class-transformer and
 * class-validator do their per-field work; only the first few are named.
 */
function unknownFields(value: unknown, metatype: unknown, root: string): FieldProblem[] {
  if (typeof metatype !== 'function' || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return [];
  const fields = declared(metatype as new (...args: unknown[]) => unknown);
  if (!fields.size) return [];
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(value)) {
    if (fields.has(key)) continue;
    problems.push({
      field: root ? `${root}.${key}` : key,
      message: `property ${key} should not exist`,
    });
    if (problems.length === NAMED_UNKNOWN) break;
  }
  return problems;
}

/** Strict DTO validation: unknown fields are refused, and every problem names its field. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && typeof value === 'string') {
      // A text body (a CSV file) is checked by its parser, which can name the line and column;
      // a handler that declares a DTO takes a JSON object, never text.
      if (metadata.metatype && metadata.metatype !== Object && metadata.metatype !== String)
        throw invalid({ field: 'body', message: 'must be a JSON object' });
      return value;
    }
    const root = metadata.type === 'body' ? '' : (metadata.data ?? '');
    const problem = structuralProblem(value, root);
    if (problem) throw invalid({ ...problem, field: problem.field || 'body' });
    const unknown = unknownFields(value, metadata.metatype, root);
    if (unknown.length) throw invalid(unknown);
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => invalid(flatten(errors)),
  });
}
