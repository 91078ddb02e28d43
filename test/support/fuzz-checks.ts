import type { FuzzRoute, FuzzTarget, RawRequest, RawResponse } from './fuzz-target';
import { routeKey } from './routes';

/** What Object.prototype holds in a clean process; a hostile body must never add to it. */
const PRISTINE_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

const clip = (text: string, n = 300) =>
  text.length > n ? `${text.slice(0, n)}… (${text.length})` : text;

function describeExchange(route: FuzzRoute, req: RawRequest, res: RawResponse): string {
  const body = req.body === undefined ? '' : clip(req.body.toString());
  return [
    `route ${routeKey(route)}`,
    `sent ${req.method} ${clip(req.path, 200)} ${JSON.stringify(req.headers ?? {}).slice(0, 400)}`,
    body && `body ${JSON.stringify(body)}`,
    `got ${res.status} ${clip(res.text)}`,
  ]
    .filter(Boolean)
    .join('\n  ');
}

/**
 * Sends one request and holds the app to what any request may do: answer below 500, write
 * nothing when it refuses (every table's rows and contents as before), leave Object.prototype
 * alone, and on the JSON API say in the body the status it answered with.
 */
export async function sendChecked(
  f: FuzzTarget,
  route: FuzzRoute,
  req: RawRequest,
): Promise<RawResponse> {
  const before = await f.fingerprint();
  const res = await f.send(req);
  const problem = (what: string) => new Error(`${what}\n  ${describeExchange(route, req, res)}`);
  try {
    if (res.status >= 500 || res.status < 100) throw problem(`answered ${res.status}`);
    if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PRISTINE_PROTOTYPE)
      throw problem('Object.prototype was polluted');
    if (res.status >= 400) {
      const after = await f.fingerprint();
      const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
      if (changed.length)
        throw problem(`refused with ${res.status} but wrote to ${changed.join(', ')}`);
      if (route.documented && res.json !== undefined) {
        const body = res.json as { statusCode?: unknown; message?: unknown };
        if (body.statusCode !== res.status || typeof body.message !== 'string')
          throw problem('the error body does not say { statusCode, message } for its status');
      }
    }
    return res;
  } finally {
    await f.settle(route, res.status);
  }
}

/** Counts statuses per route so a test can show its requests got past routing and sign-in. */
export class StatusTally {
  private readonly counts = new Map<number, number>();

  add(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  /** How many answers were not a refusal of the caller (401, 403) or of the address (404, 405). */
  reachedHandler(): number {
    return [...this.counts]
      .filter(([status]) => ![401, 403, 404, 405].includes(status))
      .reduce((n, [, c]) => n + c, 0);
  }

  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}×${c}`)
      .join(' ');
  }
}
