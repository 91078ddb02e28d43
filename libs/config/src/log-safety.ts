/**
 * What of a request, a response or an error may reach a log. Logs travel further than the
 * database (log shippers, support tickets, a pasted excerpt), so they get an allow-list: a survey
 * link, a session or API token, a password or an answer must never be in them, in any mode.
 */

/**
 * Every secret Trellis hands out is a prefix and 256 random bits in base64url: survey links
 * (`p_`), sessions (`trl_s_`), API tokens (`trl_t_`), conversation links (`trl_c_`). A fragment of eight characters or more is
 * redacted too: a mistyped or cut link is still most of someone's link.
 */
const SECRET = /(?<![A-Za-z0-9])(p_|trl_[a-z]_)[A-Za-z0-9_-]{8,}/g;

/**
 * Path segments that are credentials whatever they look like: /r/, /pulse/, /c/ (a comment's
 * conversation link) and /set-password/{token}.
 */
const TOKEN_PATH = /\/(r|pulse|c|set-password)\/[^/?#]+/g;

/** Query values kept in the log: ids, dates, numbers and flags. Anything else is not shown. */
const PLAIN_VALUE =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|-?\d{1,12}(?:\.\d{1,6})?|true|false)$/i;

/** Headers worth a log line; authorization, cookies and referrers (which may be a link) are not. */
const KEPT_HEADERS = ['user-agent', 'content-type', 'content-length'];
const ANONYMOUS_HEADERS = ['content-type', 'content-length'];

export function scrubSecrets(text: string): string {
  return text.replace(SECRET, '$1[redacted]');
}

/** The path with credential segments replaced; query keys kept, values only when plainly harmless. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const at = url.indexOf('?');
  const path = scrubSecrets((at < 0 ? url : url.slice(0, at)).replace(TOKEN_PATH, '/$1/[token]'));
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return scrubSecrets(pair.slice(0, 100));
      const key = scrubSecrets(pair.slice(0, Math.min(eq, 100)));
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        value = '';
      }
      return `${key}=${PLAIN_VALUE.test(value) ? value : '[redacted]'}`;
    });
  return `${path}?${query.join('&')}`;
}

interface SerializedRequest {
  id?: unknown;
  method?: unknown;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: unknown;
}

/**
 * pino-http's request, reduced to what identifies it. Route parameters, the query object and the
 * body are left out: the URL already says what was asked, and they hold the tokens and answers.
 * Answering is anonymous, so a request behind a personal link is also logged without the
 * address and browser it came from: with the time of a pooled answer they could name a person.
 */
export function safeRequest(req: SerializedRequest): Record<string, unknown> {
  const anonymous = /^\/(r|pulse|c)\//.test(req.url ?? '');
  const headers: Record<string, unknown> = {};
  for (const name of anonymous ? ANONYMOUS_HEADERS : KEPT_HEADERS) {
    const value = req.headers?.[name];
    if (typeof value === 'string') headers[name] = scrubSecrets(value.slice(0, 200));
  }
  return {
    id: req.id,
    method: req.method,
    url: safeUrl(req.url),
    headers,
    ...(anonymous ? {} : { remoteAddress: req.remoteAddress }),
  };
}

/** The status is what matters; response headers carry cookies. */
export function safeResponse(res: { statusCode?: unknown }): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

interface ErrorLike {
  name?: unknown;
  type?: unknown;
  code?: unknown;
  message?: unknown;
  stack?: unknown;
  status?: unknown;
  severity?: unknown;
  driverError?: ErrorLike;
  query?: unknown;
  parameters?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  routine?: unknown;
}

const text = (value: unknown, max = 500) =>
  typeof value === 'string' ? scrubSecrets(value.slice(0, max)) : undefined;

/**
 * An error as it may be logged. A database error's message can quote the values it refused (an
 * answer, a comment, a raised row), so only its class and the schema objects involved are kept;
 * a query's parameters never are. Other errors keep their message, with secrets redacted. The
 * stack keeps only its frames: its first line repeats the message.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (error === null || typeof error !== 'object') return { type: typeof error };
  const e = error as ErrorLike;
  const driver = e.driverError && typeof e.driverError === 'object' ? e.driverError : undefined;
  const fromDatabase =
    driver !== undefined ||
    e.query !== undefined ||
    e.parameters !== undefined ||
    e.routine !== undefined ||
    (typeof e.severity === 'string' && typeof e.code === 'string');
  const source = driver ?? e;
  const frames =
    typeof e.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .slice(0, 20)
          .join('\n')
      : undefined;
  const out: Record<string, unknown> = {
    name: text(e.name, 100) ?? text(e.type, 100) ?? error.constructor?.name,
    code: text(source.code, 50) ?? text(e.code, 50),
    status: typeof e.status === 'number' ? e.status : undefined,
    message: fromDatabase ? undefined : text(e.message),
    table: fromDatabase ? text(source.table, 100) : undefined,
    column: fromDatabase ? text(source.column, 100) : undefined,
    constraint: fromDatabase ? text(source.constraint, 100) : undefined,
    routine: fromDatabase ? text(source.routine, 100) : undefined,
    stack: frames ? scrubSecrets(frames) : undefined,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}
