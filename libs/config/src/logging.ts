import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { AppConfig } from './app-config';
import { safeError, safeRequest, safeResponse, scrubSecrets } from './log-safety';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The request's id: the caller's x-request-id when it is a sane one, else a new UUID; set on the
 * response and on `req.id` once, so every later step (and pino-http) reuses it.
 */
export function requestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  req.id = id;
  return id;
}

type ProcessName = 'api' | 'worker' | 'cli';

/**
 * pino-http's settings: one place, for the logging module and for the answer intake's fast path
 * (apps/api/src/surveys/pulse-intake.ts), so a request logs the same line whichever serves it.
 */
export function httpLogOptions(processName: ProcessName, config: AppConfig): Options {
  return {
    name: `trellis-${processName}`,
    level: config.env.LOG_LEVEL,
    genReqId: requestId,
    // Personal survey links work like passwords until their round closes, and sessions and
    // API tokens are passwords: requests, responses and errors are logged from an allow-list.
    serializers: { req: safeRequest, res: safeResponse, err: safeError },
    // The last line of defence, for whatever a log call puts elsewhere (a message, a field).
    hooks: { streamWrite: scrubSecrets },
    autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
  };
}

/** Structured JSON logs for every process; HTTP requests carry a request id (x-request-id in and out). */
export function loggingModule(processName: ProcessName) {
  return LoggerModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({ pinoHttp: httpLogOptions(processName, config) }),
  });
}
