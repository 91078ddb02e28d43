import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { refuseTooManyFields } from './json-fields';
import { decodeUpload } from './text-encoding';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const TEXT_TYPES = ['text/csv', 'text/plain'];

/**
 * Routes that take a few short fields (an email and a password): their bodies are read only up
 * to a few kilobytes, so an anonymous caller cannot make them parse megabytes.
 */
export const SMALL_FORM_PATHS = new Set([
  '/auth/sign-in',
  '/auth/sign-out',
  '/auth/password',
  '/sign-in',
  '/sign-out',
]);
// The largest valid sign-in or password change, every character escaped (a 1,000-character
// password of emoji written as \uD83D\uDE00 pairs), still fits.
export const SMALL_FORM_BYTES = 16 * 1024;

/** Matched as the router does: case-insensitive, a trailing slash allowed. */
function isSmallForm(req: Request): boolean {
  return SMALL_FORM_PATHS.has(req.path.toLowerCase().replace(/(.)\/+$/, '$1'));
}

/** A body parser's `type` test (it is handed Express's request, typed as Node's). */
const of =
  (types: string | string[], small: boolean) =>
  (message: IncomingMessage): boolean => {
    const req = message as Request;
    return isSmallForm(req) === small && req.is(types) !== false;
  };

function charsetOf(req: Request): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(req.headers['content-type'] ?? '');
  return match?.[1];
}

/**
 * Body parsers by route: the small forms take SMALL_FORM_BYTES, other JSON and forms
 * MAX_JSON_BODY_BYTES, and CSV (the roster and history uploads) MAX_BODY_BYTES; each limit is
 * capped by the ones after it. CSV and plain text arrive as bytes and
 * are decoded strictly (decodeUpload), so a file in another encoding is named, not mangled.
 */
export function useBodyParsers(
  app: NestExpressApplication,
  limits: { maxBodyBytes: number; maxJsonBodyBytes: number },
): void {
  const upload = limits.maxBodyBytes;
  const json = Math.min(limits.maxJsonBodyBytes, upload);
  const small = Math.min(SMALL_FORM_BYTES, json);
  for (const [jsonLimit, textLimit, isSmall] of [
    [small, small, true],
    [json, upload, false],
  ] as const) {
    app.useBodyParser('json', {
      limit: jsonLimit,
      type: of(JSON_TYPE, isSmall),
      verify: refuseTooManyFields,
    });
    app.useBodyParser('urlencoded', {
      limit: jsonLimit,
      extended: false,
      type: of(FORM_TYPE, isSmall),
    });
    app.useBodyParser('raw', { limit: textLimit, type: of(TEXT_TYPES, isSmall) });
  }
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (!Buffer.isBuffer(req.body) || req.is(TEXT_TYPES) === false) return next();
    try {
      req.body = decodeUpload(req.body, charsetOf(req));
      next();
    } catch (refusal) {
      next(refusal);
    }
  });
}
