import type { QueueOptions } from 'bullmq';
import { AppConfig } from '@trellis/config';

/** BullMQ connection shared by API (producers) and worker (consumers). */
export function bullConnection(config: AppConfig): QueueOptions {
  const url = new URL(config.redisUrl);
  return {
    prefix: config.redisKey('bull'),
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      // BullMQ workers must wait for Redis indefinitely rather than fail a command.
      maxRetriesPerRequest: null,
    },
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
  };
}
