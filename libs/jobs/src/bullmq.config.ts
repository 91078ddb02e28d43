import type { QueueOptions, WorkerOptions } from 'bullmq';
import { AppConfig, ConfigError, parseEnv, type Env } from '@trellis/config';

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

/**
 * Options for a processor's BullMQ worker, with the job lock and stalled-job check from the
 * environment (JOB_LOCK_MS, JOB_STALLED_CHECK_MS). `@Processor` takes these when its class is
 * declared, before Nest has built AppConfig, so the environment is read here; an invalid one falls
 * back to the defaults, and the start-up check then stops the process naming the variable.
 */
export function workerOptions(
  concurrency: number,
): Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval'> {
  let env: Env;
  try {
    env = parseEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    env = parseEnv({});
  }
  return { concurrency, lockDuration: env.JOB_LOCK_MS, stalledInterval: env.JOB_STALLED_CHECK_MS };
}
