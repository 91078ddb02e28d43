/**
 * Where to go after signing in. Only a path inside the console is accepted, so a link cannot
 * send someone who signs in to another site (an open redirect) or to an API answer.
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string') return '/app';
  if (!/^\/app(?:[/?#]|$)/.test(next)) return '/app';
  if (/[\\\s]/.test(next) || next.startsWith('//') || next.length > 2000) return '/app';
  return next;
}

export function signInPathFor(path: string): string {
  const next = safeReturnPath(path);
  return next === '/app' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}
