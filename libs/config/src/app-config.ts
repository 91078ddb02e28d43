import type { Env } from './env';

/** Injectable, read-only view of the validated environment. */
export class AppConfig {
  constructor(readonly env: Readonly<Env>) {}

  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }

  get redisUrl(): string {
    return this.env.REDIS_URL;
  }

  /** Prefix for every Redis key and BullMQ queue of this installation. */
  redisKey(...parts: string[]): string {
    return [this.env.REDIS_PREFIX, ...parts].join(':');
  }
}
