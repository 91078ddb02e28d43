import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { invalid, type FieldProblem } from '@trellis/errors';

const MAX_DEPTH = 32;

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
 * Problems no DTO can express: PostgreSQL cannot store NUL in text, and class-transformer
 * recurses once per nesting level. Walks iteratively so hostile depth cannot overflow the stack.
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
      for (const [key, child] of Object.entries(v)) {
        stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return null;
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
