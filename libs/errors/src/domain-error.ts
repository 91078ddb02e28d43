/** A field of the input and what is wrong with it, in words a person can act on. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What went wrong, as the domain sees it. The adapters map each code once (apps/api: JSON
 * bodies in AllExceptionsFilter, pages in PageExceptionFilter or the page's own form), so
 * domain code needs no HTTP framework.
 */
export type DomainErrorCode = 'invalid' | 'not_found' | 'conflict' | 'gone' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input the domain refuses, every problem named by its field; nothing was written. */
export class InvalidInput extends DomainError {
  constructor(problems: readonly FieldProblem[]) {
    super('invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
    this.name = 'InvalidInput';
  }
}
