import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@trellis/config';
import { failFast } from './fail-fast';

export const REDIS = Symbol('REDIS');

/**
 * One shared ioredis connection per process for sessions and counters. Commands fail fast while
 * Redis is away instead of queueing forever; callers decide what that means for them.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const redis = failFast(
          new Redis(config.redisUrl, {
            maxRetriesPerRequest: 1,
            enableOfflineQueue: true,
            connectTimeout: 3000,
            retryStrategy: (times) => Math.min(times * 200, 2000),
          }),
          config.env.REDIS_COMMAND_TIMEOUT_MS,
        );
        redis.on('error', () => undefined); // surfaced by /health/ready and by failing commands
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
