import type Redis from 'ioredis';

/**
 * Makes a connection refuse commands while Redis is away instead of holding them: until it first
 * connects, commands wait (start-up races the connection); after that, a command sent while the
 * connection is down fails at once, so a request that needs Redis is answered 503 straight away
 * rather than after a reconnection attempt. Commands to a connection that hangs give up after
 * `commandTimeoutMs`.
 */
export function failFast(redis: Redis, commandTimeoutMs: number): Redis {
  redis.options.commandTimeout = commandTimeoutMs;
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  return redis;
}
