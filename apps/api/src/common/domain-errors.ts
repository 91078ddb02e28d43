import type { DomainError, DomainErrorCode } from '@trellis/errors';

const STATUS: Record<DomainErrorCode, [number, string]> = {
  invalid: [400, 'Bad Request'],
  not_found: [404, 'Not Found'],
  conflict: [409, 'Conflict'],
  gone: [410, 'Gone'],
  unavailable: [503, 'Service Unavailable'],
};

/** The HTTP status of a domain error: the one mapping, used by JSON answers and pages alike. */
export function statusOf(error: DomainError): number {
  return STATUS[error.code][0];
}

/** The JSON body of a domain error: the same shape as every other refusal (errors: field problems). */
export function domainErrorBody(error: DomainError): {
  statusCode: number;
  error: string;
  message: string;
  errors?: { field: string; message: string }[];
} {
  const [statusCode, name] = STATUS[error.code];
  return {
    statusCode,
    error: name,
    message: error.message,
    ...(error.problems.length ? { errors: error.problems.map((p) => ({ ...p })) } : {}),
  };
}
