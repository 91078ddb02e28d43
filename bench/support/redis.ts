import Redis from 'ioredis';

/** Every key and queue a benchmark run made lives under its own prefix; this removes them. */
export async function clearPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix.startsWith('trellis-bench-'))
    throw new Error(`refusing to clear ${prefix}: not a bench prefix`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      const batch = keys as string[];
      if (batch.length) removed += await redis.unlink(...batch);
    }
  } finally {
    redis.disconnect();
  }
  return removed;
}
