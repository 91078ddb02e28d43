import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseError } from 'pg';
import {
  ConnectionIsNotSetError,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { safeError } from '@trellis/config';
import { DomainError } from '@trellis/errors';
import { domainErrorBody } from './domain-errors';

interface ErrorBody {
  statusCode: number;
  message: string;
  [key: string]: unknown;
}

// PostgreSQL error classes that only a client's input can cause.
const CLIENT_SQLSTATE: Record<string, [number, string]> = {
  '22P02': [400, 'a value has the wrong format'],
  '22001': [400, 'a value is too long'],
  '22003': [400, 'a number is out of range'],
  '22007': [400, 'a date is invalid'],
  '22008': [400, 'a date is out of range'],
  '23502': [400, 'a required value is missing'],
  '23514': [400, 'a value is not allowed'],
  '23503': [409, 'it refers to something that does not exist or is still referred to'],
  '23505': [409, 'it already exists'],
};

// Connection-level failures: the network, or PostgreSQL ending or refusing sessions.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the session was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);

// TypeORM's own errors when the connection under a query runner went away mid-request (the pool
// ended it while PostgreSQL shut down), and the queue refusing to wait on a dead Redis.
const UNAVAILABLE_CLASSES = [
  QueryRunnerProviderAlreadyReleasedError,
  QueryRunnerAlreadyReleasedError,
  ConnectionIsNotSetError,
];

/** Seconds a client is asked to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; severity?: string };
  const code = e?.code ?? '';
  return (
    UNAVAILABLE_CODES.has(code) ||
    UNAVAILABLE_CLASSES.some((unavailable) => error instanceof unavailable) ||
    code === 'EQUEUEUNAVAILABLE' ||
    // connection_exception, the whole class
    code.startsWith('08') ||
    // A FATAL error ends the session, or refused to start one: the database is not connectable
    // (allow_connections off, a role's connection limit, authentication, …).
    e?.severity === 'FATAL' ||
    /Connection terminated|connection is closed|Connection is closed|timeout exceeded when trying to connect|Stream isn't writeable|not queryable|not currently accepting connections|MaxRetriesPerRequest|Command timed out|enableOfflineQueue|Driver not Connected/i.test(
      e?.message ?? '',
    )
  );
}

/** Turns every error into a JSON body with a status a client can act on; only our own bugs are 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error({ err: safeError(exception) }, 'request failed');
    if (res.headersSent) return;
    if (body.statusCode === 503 && !res.getHeader('retry-after'))
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) return domainErrorBody(exception);
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const status = exception.getStatus();
      if (typeof response === 'string') return { statusCode: status, message: response };
      const r = response as Record<string, unknown>;
      const message = Array.isArray(r.message)
        ? r.message.join('; ')
        : typeof r.message === 'string'
          ? r.message
          : exception.message;
      return { ...r, statusCode: status, message };
    }
    // body-parser errors carry an HTTP status and a type.
    const bodyError = exception as { type?: string; status?: number; expose?: boolean };
    if (bodyError?.type === 'entity.too.large')
      return { statusCode: 413, message: 'body: too large' };
    if (bodyError?.type === 'entity.parse.failed')
      return { statusCode: 400, message: 'body: is not valid JSON' };
    if (bodyError?.expose && bodyError.status && bodyError.status < 500) {
      return { statusCode: bodyError.status, message: `body: ${(exception as Error).message}` };
    }
    // TypeORM wraps the driver's error; the raw clients that stream exports do not.
    const sqlState =
      exception instanceof QueryFailedError
        ? (exception.driverError as { code?: string } | undefined)?.code
        : exception instanceof DatabaseError
          ? exception.code
          : undefined;
    const mapped = sqlState ? CLIENT_SQLSTATE[sqlState] : undefined;
    if (mapped) return { statusCode: mapped[0], message: mapped[1] };
    if (
      isUnavailable(exception) ||
      (exception instanceof QueryFailedError && isUnavailable(exception.driverError))
    ) {
      return { statusCode: 503, message: 'a backing service is unavailable; try again shortly' };
    }
    return { statusCode: 500, message: 'internal error' };
  }
}
