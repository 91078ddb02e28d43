import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './session-cookie';

/** The hidden form field and the header that carry the token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** A random value given to a browser before it signs in, so the sign-in form is protected too. */
export const PRE_SESSION_COOKIE = 'trellis_pre';

const PRE_SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function cookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * The token is an HMAC keyed by the session cookie (or, before sign-in, by the pre-session
 * cookie): a page on another site can make the browser send the cookie but can neither read it
 * nor compute the token from it. It needs no storage, changes with every session, and a
 * sign-out (which deletes the session server-side) makes every token of it worthless.
 */
function tokenFrom(secret: string, purpose: 'session' | 'pre-session'): string {
  return createHmac('sha256', secret).update(`trellis csrf ${purpose}`).digest('base64url');
}

/** The token a page of this request must put in its forms; sets the pre-session cookie if needed. */
export function csrfTokenFor(req: Request, res: Response, secureCookies: boolean): string {
  const session = cookie(req, SESSION_COOKIE);
  if (session) return tokenFrom(session, 'session');
  let pre = cookie(req, PRE_SESSION_COOKIE);
  if (!pre || !PRE_SESSION_PATTERN.test(pre)) {
    pre = randomBytes(32).toString('base64url');
    res.cookie(PRE_SESSION_COOKIE, pre, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      path: '/',
    });
    // Later calls while rendering the same response must agree with the cookie just set.
    (req.cookies as Record<string, unknown>)[PRE_SESSION_COOKIE] = pre;
  }
  return tokenFrom(pre, 'pre-session');
}

/** Whether the token sent with a request matches its session (or pre-session) cookie. */
export function csrfTokenMatches(req: Request, sent: unknown): boolean {
  if (typeof sent !== 'string' || !sent) return false;
  const session = cookie(req, SESSION_COOKIE);
  const pre = cookie(req, PRE_SESSION_COOKIE);
  const expected = session
    ? tokenFrom(session, 'session')
    : pre && PRE_SESSION_PATTERN.test(pre)
      ? tokenFrom(pre, 'pre-session')
      : undefined;
  if (!expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
