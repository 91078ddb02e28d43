import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's proxy presets, or an address or subnet ("10.0.0.0/8", "::1"). */
function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * Every setting Trellis reads from the environment. Defaults work on a developer machine with
 * PostgreSQL and Redis on loopback, so `npm start` needs no `.env`.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .default('postgres://postgres@127.0.0.1:5432/trellis'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  /** Namespaces every Redis key and queue, so several installations (or test runs) share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only')
    .default('trellis'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: z.stringbool().default(false),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  /** Set true when Trellis is served over HTTPS, so browsers only send the session cookie over TLS. */
  COOKIE_SECURE: z.stringbool().default(false),
  SIGN_IN_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Sign-in attempts per client address per window, whatever emails they try. */
  SIGN_IN_ADDRESS_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  /**
   * Which peers may name the client in X-Forwarded-For: `false` (nobody, the default), `true`
   * (anyone: only behind a proxy that always overwrites the header), a number
   * of proxy hops, or a comma-separated list of addresses, subnets and the presets loopback,
   * linklocal and uniquelocal. Only set it when a proxy in front of Trellis rewrites the header.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(
      (v) =>
        v === 'false' ||
        v === 'true' ||
        /^\d{1,2}$/.test(v) ||
        v.split(',').every((entry) => isProxyEntry(entry.trim())),
      'must be false, true, a number of hops, or addresses, subnets, loopback, linklocal or uniquelocal',
    )
    .default('false'),
  REQUEST_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /**
   * Largest JSON or form body (capped at MAX_BODY_BYTES); no request of the API comes near it.
   * Reading a body costs one core in proportion to its size, so CSV uploads alone get more.
   */
  MAX_JSON_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /** smtp://user:pass@host:587 or smtps://…; unset, invitations are written to OUTBOX_DIR instead. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  /** Without SMTP_URL, one file per invitation lands here (never in the log: a link is a password). */
  OUTBOX_DIR: z.string().min(1).default('var/outbox'),
  MAIL_FROM: z.string().min(3).default('Trellis <trellis@localhost>'),
  /** How often the worker looks for rounds to open, remind and close. */
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * How long a worker's claim on a running job lasts unless renewed (it renews at half this). A job
   * whose worker died goes to another worker once the claim has lapsed and a stalled check sees it.
   */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often workers look for jobs whose worker died. */
  JOB_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * How long a job that failed for good stays failed before the reconciler queues its work again
   * (if the work is still due); meanwhile it is listed for admins with its error.
   */
  JOB_REDRIVE_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** The longest a request waits on Redis (a session, a queued job) before it is told "unavailable". */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Where finished exports wait to be downloaded; the API and the workers must share it. */
  EXPORT_DIR: z.string().min(1).default('var/exports'),
  /** How long a finished export can be downloaded before it is deleted. */
  EXPORT_TTL_HOURS: z.coerce.number().min(0.001).max(24 * 30).default(24),
  /** Larger exports must run as a background job instead of streaming in the request. */
  EXPORT_DIRECT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** First retry delay of a failed notification; each further retry waits twice as long. */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Delivery attempts before a notification is marked failed. */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** How long an outgoing webhook may take to answer. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Lets webhooks reach private, loopback and link-local addresses. Off: a webhook can only
   * reach the public internet, so an admin cannot point the worker at the inside network.
   */
  WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** On SIGTERM, how long requests and jobs in flight may run on before they are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * The secret answers are sealed and participation is marked with (32 random bytes, base64:
   * `openssl rand -base64 32`). The database never holds it, so a database or backup reader can
   * neither read answers nor tell who answered. Required in production; elsewhere a fixed
   * development key is used, with a warning. Losing it makes stored answers unreadable.
   */
  ANSWER_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32,
      'must be 32 random bytes in base64 (openssl rand -base64 32)',
    )
    .optional(),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment once; the message names each bad variable and what is wrong with it. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  );
  const result = schema.safeParse(relevant);
  if (result.success && result.data.NODE_ENV === 'production' && !result.data.ANSWER_KEY) {
    throw new ConfigError(
      'invalid configuration: ANSWER_KEY is required in production (32 random bytes in base64: openssl rand -base64 32); keep it out of the database and its backups',
    );
  }
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    return `${key} ${issue.message} (got ${JSON.stringify(source[key])})`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
