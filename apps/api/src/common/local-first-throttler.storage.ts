import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type Redis from 'ioredis';

/** How often hits counted here are added to the shared counters. */
export const SHARE_EVERY_MS = 100;

/**
 * Adds `pending` hits to a counter the way @nest-lab/throttler-storage-redis's script counts one
 * (same keys, window and block), and answers the shared total, its time left and the block's.
 */
const SHARE_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  ttl = tonumber(ARGV[2])
end
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], 1, 'PX', tonumber(ARGV[4]))
  blocked = tonumber(ARGV[4])
end
return { hits, ttl, blocked }`;

interface Counter {
  /** Hits in this window as far as this process knows: the shared total at the last share, plus its own since. */
  hits: number;
  /** Own hits not yet added to the shared counter. */
  pending: number;
  expiresAt: number;
  blockedUntil: number;
  hitKey: string;
  blockKey: string;
  ttl: number;
  limit: number;
  blockDuration: number;
}

/**
 * The per-address request limit ('default'), counted in this process first and added to the
 * shared Redis counters in one round trip every SHARE_EVERY_MS, instead of a round trip per
 * request (that trip was a tenth of the API's CPU on answer intake). One process limits exactly
 * as before; several API processes each learn the others' hits at their next share, so together
 * they may let through up to one interval's requests more than the limit. The sign-in limits,
 * which guard passwords, are not approximated: they go to `exact` (Redis, per request). When
 * Redis is away, this process still limits by its own count.
 */
export class LocalFirstThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('throttler');
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | null = null;
  private sharing: Promise<void> | null = null;
  private lastWarning = 0;

  constructor(
    private readonly exact: ThrottlerStorage & Partial<OnModuleDestroy>,
    private readonly redis: Redis,
    private readonly localFirst: ReadonlySet<string> = new Set(['default']),
  ) {}

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.share();
    await this.exact.onModuleDestroy?.();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.localFirst.has(throttlerName))
      return this.exact.increment(key, ttl, limit, blockDuration, throttlerName);
    const now = Date.now();
    const id = `{${key}:${throttlerName}}`;
    let counter = this.counters.get(id);
    // A window over, or a block served (the script then starts a new window at this hit).
    if (
      !counter ||
      (counter.blockedUntil === 0 && now >= counter.expiresAt) ||
      (counter.blockedUntil !== 0 && now >= counter.blockedUntil)
    ) {
      counter = {
        hits: 0,
        pending: counter?.pending ?? 0,
        expiresAt: now + ttl,
        blockedUntil: 0,
        hitKey: `${id}:hits`,
        blockKey: `${id}:blocked`,
        ttl,
        limit,
        blockDuration,
      };
      this.counters.set(id, counter);
    }
    counter.hits++;
    counter.pending++;
    if (counter.blockedUntil === 0 && counter.hits > limit) counter.blockedUntil = now + blockDuration;
    this.scheduleShare();
    const isBlocked = counter.blockedUntil > now;
    return Promise.resolve({
      totalHits: counter.hits,
      timeToExpire: Math.ceil((counter.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((counter.blockedUntil - now) / 1000) : 0,
    });
  }

  private scheduleShare(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.share();
    }, SHARE_EVERY_MS);
    this.timer.unref();
  }

  /** Adds every counter's pending hits to Redis in one pipeline and takes the shared totals back. */
  async share(): Promise<void> {
    // One share at a time, so a slow Redis cannot have two add the same hits.
    if (this.sharing) return this.sharing;
    this.sharing = this.shareOnce().finally(() => {
      this.sharing = null;
    });
    return this.sharing;
  }

  private async shareOnce(): Promise<void> {
    const now = Date.now();
    const due: [Counter, number][] = [];
    for (const [id, counter] of this.counters) {
      if (counter.pending > 0) due.push([counter, counter.pending]);
      else if (now >= Math.max(counter.expiresAt, counter.blockedUntil)) this.counters.delete(id);
    }
    if (!due.length) return;
    const pipeline = this.redis.pipeline();
    for (const [c, pending] of due)
      pipeline.eval(SHARE_SCRIPT, 2, c.hitKey, c.blockKey, pending, c.ttl, c.limit, c.blockDuration);
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      results = null;
      this.warn(error);
    }
    const at = Date.now();
    due.forEach(([counter, pending], i) => {
      const [error, value] = results?.[i] ?? [new Error('not shared'), null];
      if (error || !Array.isArray(value)) {
        if (error && results) this.warn(error);
        return; // kept pending, added at a later share
      }
      const [hits, ttl, blocked] = value as number[];
      counter.pending -= pending;
      // Own hits since the share began are not in `hits` yet.
      counter.hits = Math.max(counter.hits, hits + counter.pending);
      counter.expiresAt = at + ttl;
      if (blocked > 0) counter.blockedUntil = Math.max(counter.blockedUntil, at + blocked);
    });
    if (this.counters.size && [...this.counters.values()].some((c) => c.pending > 0))
      this.scheduleShare();
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(
      { err: error },
      'request counts are not shared while Redis is unreachable; each API process limits alone',
    );
  }
}
