import { Client } from 'pg';
import Redis from 'ioredis';
import type { Env } from './env';

/** Where a URL points, without its password, for messages a person reads. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '');
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}${db ? ` (database "${db}")` : ''}`;
  } catch {
    return 'an unparsable URL';
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}${e.message ? `: ${e.message}` : ''}` : String(e.message ?? error);
}

export async function checkPostgres(url: string, timeoutMs = 3000): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    const where = describeUrl(url);
    if ((error as { code?: string }).code === '3D000') {
      return `PostgreSQL at ${where} is up but the database does not exist. Create it with \`npm run db:create\` (npm start does this for you).`;
    }
    return `cannot reach PostgreSQL at ${where}: ${reason(error)}. Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string, timeoutMs = 3000): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `cannot reach Redis at ${describeUrl(url)}: ${reason(error)}. Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) or set REDIS_URL.`;
  } finally {
    redis.disconnect();
  }
}

/**
 * Checks both backing services before Nest starts, so a missing one is reported in one line
 * instead of a retry loop and a stack trace.
 */
export async function preflight(env: Pick<Env, 'DATABASE_URL' | 'REDIS_URL'>): Promise<string[]> {
  const results = await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)]);
  return results.filter((r): r is string => r !== null);
}
