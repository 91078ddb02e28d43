import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { AppConfig, requestId } from '@trellis/config';
import { useBodyParsers } from './common/body-parsers';
import { createOpenApiDocument } from './openapi';
import { pulseIntake } from './surveys/pulse-intake';

/**
 * Express's `trust proxy` from TRUST_PROXY. Off by default: X-Forwarded-For is then ignored, so a
 * client cannot claim another address to slip past the per-address limits.
 */
export function trustProxy(setting: string): boolean | number | string[] {
  if (setting === 'false') return false;
  if (setting === 'true') return true;
  if (/^\d+$/.test(setting)) return Number(setting);
  return setting.split(',').map((entry) => entry.trim());
}

/** Everything main.ts and the tests both need, so tests exercise the app exactly as it runs. */
export function setupApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', trustProxy(config.env.TRUST_PROXY));
  app.disable('x-powered-by');
  // No answer of this server may be framed or sniffed, JSON and refusals included; pages set
  // the full page CSP over this (views/csp.ts), and /docs keeps the scripts Swagger UI needs.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader(
      'content-security-policy',
      req.url?.startsWith('/docs')
        ? "frame-ancestors 'none'"
        : "default-src 'none'; frame-ancestors 'none'",
    );
    next();
  });
  // Before the body parsers, so a body they refuse still answers with its request id.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    requestId(req, res);
    next();
  });
  const limits = {
    maxBodyBytes: config.env.MAX_BODY_BYTES,
    maxJsonBodyBytes: config.env.MAX_JSON_BODY_BYTES,
  };
  // Answers as the JSON API sends them: ahead of the cookie and body parsers, with the same JSON
  // parser as the route would have (a body it refuses is refused as on any route).
  app.use(pulseIntake(app, limits));
  app.use(cookieParser());
  useBodyParsers(app, limits);

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
