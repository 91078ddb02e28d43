/**
 * Every queue and job Trellis runs, with its payload type. A job cannot be queued under a
 * name it does not have, or with the wrong data.
 */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobCatalogue {
  'api-tokens.prune': { olderThanDays: number };
}

export type JobName = keyof JobCatalogue;
export type JobData<N extends JobName> = JobCatalogue[N];

/** Which queue carries each job. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'api-tokens.prune': QUEUES.maintenance,
};

/** Attempts and backoff in one place; processors are idempotent, so retries are always safe. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
