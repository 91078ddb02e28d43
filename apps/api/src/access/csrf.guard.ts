import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppConfig } from '@trellis/config';
import { CSRF_FIELD, CSRF_HEADER, csrfTokenMatches } from './csrf';
import { SESSION_COOKIE } from './session-cookie';

export const CSRF_RULE = 'trellis:csrf';
type CsrfRule = 'pre-session' | 'json-only' | 'link-credential';

/** A form used before signing in (sign-in, forgot password, set password): login CSRF is refused. */
export const FormBeforeSignIn = () => SetMetadata(CSRF_RULE, 'pre-session' satisfies CsrfRule);
/** An API route that takes only JSON, which no page on another site can send without CORS. */
export const JsonOnly = () => SetMetadata(CSRF_RULE, 'json-only' satisfies CsrfRule);
/** A route whose credential is a secret in its URL (the pulse link), never a cookie. */
export const LinkCredential = () => SetMetadata(CSRF_RULE, 'link-credential' satisfies CsrfRule);

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function refuse(message: string): never {
  throw new ForbiddenException({
    statusCode: 403,
    message: `${CSRF_FIELD}: ${message}`,
    errors: [{ field: CSRF_FIELD, message }],
  });
}

/**
 * Cross-site request forgery. A browser sends the session cookie with any request, whoever's
 * page starts it, so every state-changing request that a cookie authenticates must also carry a
 * token only a page of ours can know (csrf.ts): a hidden form field, or the X-CSRF-Token header
 * for scripts. A request that came from another site (Origin or Sec-Fetch-Site) is refused
 * before that. Bearer tokens are never sent by a browser on its own, so they need neither.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly origin: string;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.origin = new URL(config.env.PUBLIC_URL).origin;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method)) return true;
    const rule = this.reflector.getAllAndOverride<CsrfRule | undefined>(CSRF_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule === 'link-credential' || req.headers.authorization) return true;
    const cookies = (req.cookies ?? {}) as Record<string, unknown>;
    const session = typeof cookies[SESSION_COOKIE] === 'string';
    if (!session && rule === 'json-only') {
      if (req.is('application/json')) return true;
      throw new UnsupportedMediaTypeException({
        statusCode: 415,
        message: 'content-type: must be application/json',
        errors: [{ field: 'content-type', message: 'must be application/json' }],
      });
    }
    // Without a session and outside the sign-in forms, the request carries no authority a
    // forger could borrow; the access guard decides what it may do.
    if (!session && rule !== 'pre-session') return true;

    if (req.headers['sec-fetch-site'] === 'cross-site') refuse('sent from another site');
    // Pages say "no-referrer", so browsers send "Origin: null" with their forms: unknown, not
    // foreign. The token decides then.
    const origin = req.headers.origin;
    if (
      origin !== undefined &&
      origin !== 'null' &&
      origin !== this.origin &&
      !sameHost(origin, req)
    ) {
      refuse('sent from another site');
    }
    const body = req.body as Record<string, unknown> | undefined;
    const sent =
      req.headers[CSRF_HEADER] ??
      (body && typeof body === 'object' && !Buffer.isBuffer(body) ? body[CSRF_FIELD] : undefined);
    if (!csrfTokenMatches(req, sent)) {
      refuse(
        sent === undefined
          ? 'missing; reload the page and try again'
          : 'does not match this session; reload the page and try again',
      );
    }
    if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
    return true;
  }
}

/** The page was served by this very host (a deployment reached under another name than PUBLIC_URL). */
function sameHost(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
