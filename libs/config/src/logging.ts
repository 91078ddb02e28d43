import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function redactTokens(url: string | undefined): string | undefined {
  return url?.replace(/\/(r|pulse)\/[^/?#]+/g, '/$1/[token]');
}

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

/** Structured JSON logs for every process; HTTP requests carry a request id (x-request-id in and out). */
export function loggingModule(processName: 'api' | 'worker' | 'cli') {
  return LoggerModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        name: `trellis-${processName}`,
        level: config.env.LOG_LEVEL,
        genReqId: requestId,
        redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        // Personal survey links work like passwords until their round closes.
        serializers: {
          req: (req: { url?: string; [key: string]: unknown }) => ({
            ...req,
            url: redactTokens(req.url),
          }),
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
      },
    }),
  });
}
