import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
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

/** Pages whose form sends a file (multipart/form-data): the roster upload. No other route reads one. */
export const UPLOAD_FORM_PATHS: readonly RegExp[] = [
  /^\/app\/organisations\/[^/]+\/import\/preview\/?$/i,
];

/** A file sent with a form, as the page controller finds it; or why it was not read. */
export interface FormUpload {
  file?: { name: string; type: string; bytes: Buffer };
  /** multer's code when the upload was refused: LIMIT_FILE_SIZE, or a malformed body. */
  refused?: string;
}

export function uploadOf(req: Request): FormUpload {
  return (req as Request & { upload?: FormUpload }).upload ?? {};
}

/**
 * Reads the file of an upload form into memory, at most `maxBytes` and one file, with a few
 * short fields (the CSRF token). Runs before the guards, so the token is checked as on any
 * form. A refused upload is not an error here: the page says what was wrong, next to the field.
 */
function uploadForms(maxBytes: number) {
  const read = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 9, headerPairs: 50 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data') || !UPLOAD_FORM_PATHS.some((p) => p.test(req.path)))
      return next();
    read(req, res, (error?: unknown) => {
      const file = (req as Request & { file?: multer.File }).file;
      const upload: FormUpload = file
        ? { file: { name: file.originalname, type: file.mimetype, bytes: file.buffer } }
        : {};
      if (error) {
        upload.file = undefined;
        upload.refused = error instanceof multer.MulterError ? error.code : 'MALFORMED';
      }
      (req as Request & { upload?: FormUpload }).upload = upload;
      if (!req.body || typeof req.body !== 'object') req.body = {};
      next();
    });
  };
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

/** The JSON parser's settings: the small forms' or every other route's limit, at most so many fields. */
function jsonOptions(limit: number, small: boolean) {
  return { limit, type: of(JSON_TYPE, small), verify: refuseTooManyFields };
}

/** Every route's JSON limit but the small forms': MAX_JSON_BODY_BYTES, capped by MAX_BODY_BYTES. */
function jsonLimit(limits: { maxBodyBytes: number; maxJsonBodyBytes: number }): number {
  return Math.min(limits.maxJsonBodyBytes, limits.maxBodyBytes);
}

/**
 * The JSON body parser of the routes that are not small forms, for a path that runs ahead of
 * the others (the answer intake): the same parser, limit and field count. `takes` says whether
 * it would read the request's body (a JSON content type on such a route).
 */
export function routeJsonParser(limits: { maxBodyBytes: number; maxJsonBodyBytes: number }) {
  return {
    takes: of(JSON_TYPE, false),
    parse: express.json(jsonOptions(jsonLimit(limits), false)),
  };
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
  const json = jsonLimit(limits);
  const small = Math.min(SMALL_FORM_BYTES, json);
  for (const [formLimit, textLimit, isSmall] of [
    [small, small, true],
    [json, upload, false],
  ] as const) {
    app.useBodyParser('json', jsonOptions(formLimit, isSmall));
    app.useBodyParser('urlencoded', {
      limit: formLimit,
      extended: false,
      type: of(FORM_TYPE, isSmall),
    });
    app.useBodyParser('raw', { limit: textLimit, type: of(TEXT_TYPES, isSmall) });
  }
  app.use(uploadForms(upload));
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
