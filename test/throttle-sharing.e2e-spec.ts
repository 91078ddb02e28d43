import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { LocalFirstThrottlerStorage } from '../apps/api/src/common/local-first-throttler.storage';
import { ResilientThrottlerStorage } from '../apps/api/src/common/resilient-throttler.storage';

/**
 * The per-address limit is counted in each API process and shared through Redis in batches
 * (local-first-throttler.storage.ts). Two storages on one Redis stand for two API processes.
 */
describe('request limits counted locally, shared through Redis', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `throttle-sharing-${Date.now()}:`;
  const opened: { redis: Redis; storage: LocalFirstThrottlerStorage }[] = [];

  function process_(redisUrl = url) {
    const exact = new ThrottlerStorageRedisService(redisUrl, {
      keyPrefix: prefix,
      maxRetriesPerRequest: 1,
      lazyConnect: redisUrl !== url,
      enableOfflineQueue: redisUrl === url,
    });
    const redis = exact.redis as Redis;
    const storage = new LocalFirstThrottlerStorage(new ResilientThrottlerStorage(exact), redis);
    opened.push({ redis, storage });
    return storage;
  }
  const hit = (s: LocalFirstThrottlerStorage, limit = 10, name = 'default') =>
    s.increment('address-1', 60_000, limit, 60_000, name);

  const reader = new Redis(url, { keyPrefix: prefix });
  afterAll(async () => {
    for (const { redis } of opened) redis.disconnect();
    reader.disconnect();
    const cleaner = new Redis(url);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length) await cleaner.del(...keys);
    cleaner.disconnect();
  });

  it('counts in process, and each process learns the other’s hits at its next share', async () => {
    const a = process_();
    const b = process_();
    expect((await hit(a)).totalHits).toBe(1);
    expect((await hit(a)).totalHits).toBe(2);
    expect((await hit(a)).totalHits).toBe(3);
    // Not in Redis until shared: no round trip per request.
    expect(await reader.get('{address-1:default}:hits')).toBeNull();
    await a.share();
    expect(await reader.get('{address-1:default}:hits')).toBe('3');
    const ttl = await reader.pttl('{address-1:default}:hits');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect((await hit(b)).totalHits).toBe(1);
    await b.share();
    expect((await hit(b)).totalHits).toBe(5);
    await b.share();
    expect(await reader.get('{address-1:default}:hits')).toBe('5');
  });

  it('blocks past the limit at once in one process, and across processes after a share', async () => {
    const a = process_();
    const b = process_();
    await reader.del('{address-1:default}:hits', '{address-1:default}:blocked');
    for (let i = 1; i <= 4; i++) expect((await hit(a, 5)).isBlocked).toBe(false);
    await a.share();
    await hit(b, 5);
    expect((await hit(b, 5)).isBlocked).toBe(false); // b alone has seen 2
    await b.share(); // 6 shared hits: over the limit, blocked for everyone
    expect(await reader.pttl('{address-1:default}:blocked')).toBeGreaterThan(50_000);
    const blocked = await hit(b, 5);
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBeGreaterThan(50);
    // a learns of the block with its next share.
    await hit(a, 5);
    await a.share();
    expect((await hit(a, 5)).isBlocked).toBe(true);

    const alone = process_();
    await reader.del('{address-2:default}:hits');
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push((await alone.increment('address-2', 60_000, 3, 60_000, 'default')).isBlocked);
    expect(results).toEqual([false, false, false, true]);
  });

  it('sends the sign-in limits to Redis on every attempt, exactly', async () => {
    const a = process_();
    await hit(a, 5, 'sign-in');
    await hit(a, 5, 'sign-in');
    expect(await reader.get('{address-1:sign-in}:hits')).toBe('2');
  });

  it('still limits by its own count while Redis is unreachable, and never fails a request', async () => {
    const down = process_('redis://127.0.0.1:1');
    const blocked = [];
    for (let i = 0; i < 4; i++) blocked.push((await hit(down, 3)).isBlocked);
    expect(blocked).toEqual([false, false, false, true]);
    await expect(down.share()).resolves.toBeUndefined();
    // The exact path lets a request pass when it cannot count, as before.
    expect((await hit(down, 3, 'sign-in')).isBlocked).toBe(false);
  });
});
