import type { FieldProblem } from './domain-error';
import {
  BadRequestException,
  ConflictException,
  GoneException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';


/** 400 whose body names each offending field; the shape every validation failure uses. */
export function invalid(problems: FieldProblem[] | FieldProblem): BadRequestException {
  const list = Array.isArray(problems) ? problems : [problems];
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: list.map((p) => `${p.field}: ${p.message}`).join('; '),
    errors: list,
  });
}

export function notFound(what: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    error: 'Not Found',
    message: `${what} not found`,
  });
}

export function conflict(field: string, message: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${field}: ${message}`,
    errors: [{ field, message }],
  });
}

/** 410: the thing existed and is gone for good (an expired download, say). */
export function gone(message: string): GoneException {
  return new GoneException({ statusCode: 410, error: 'Gone', message });
}

/** 503: the answer exists but not yet (results being recomputed, say); the client retries. */
export function unavailable(message: string): ServiceUnavailableException {
  return new ServiceUnavailableException({
    statusCode: 503,
    error: 'Service Unavailable',
    message,
  });
}
