/**
 * Every queue and job Trellis runs, with its payload type. A job cannot be queued under a
 * name it does not have, or with the wrong data.
 */
export const QUEUES = {
  maintenance: 'maintenance',
  surveys: 'surveys',
  aggregation: 'aggregation',
  exports: 'exports',
  notifications: 'notifications',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobCatalogue {
  'api-tokens.prune': { olderThanDays: number };
  /** Looks at the clock and the database and queues whatever is due; runs every few seconds. */
  'rounds.tick': Record<string, never>;
  'round.open': { campaignId: string; opensAt: string };
  /**
   * Without a batch, every unsent invitation of the round; with one, only the teams whose
   * hashed id falls in batch `batch` of `batches` (a round opens as several jobs, so several
   * workers send at once, each team's invitations in exactly one of them).
   */
  'round.invite': { roundId: string; batch?: number; batches?: number };
  'round.remind': { roundId: string; index: number };
  /** A reminder someone asked for from the console (a `round_reminder` row), to those who have not answered. */
  'round.remind-now': { reminderId: string };
  'round.close': { roundId: string };
  /** Moves a round's pooled answers into responses once a batch of k waits (or the round closed). */
  'round.mix': { roundId: string };
  /** `epoch` is the organisation's results basis the work is for: a newer basis is new work. */
  'round.aggregate': { roundId: string; epoch: string };
  /**
   * The reconciler: queues again whatever PostgreSQL says is due and not done (whatever Redis
   * remembers of earlier jobs), records failed jobs, and deletes expired and orphaned export files.
   */
  'outbox.sweep': Record<string, never>;
  'export.build': { exportId: string };
  'notification.deliver': { notificationId: string };
  /** Mails one sign-in link (an invitation or a password reset); its token is made as it is sent. */
  'sign-in-link.send': { linkId: string };
  /**
   * Tells a comment's readers that its author answered: names the stored message only (never
   * the author, who is nobody the application knows); the worker reads unit and audience there.
   */
  'conversation.notify': { replyId: string };
}

export type JobName = keyof JobCatalogue;
export type JobData<N extends JobName> = JobCatalogue[N];

/** Which queue carries each job. */
export const JOB_QUEUE = {
  'api-tokens.prune': QUEUES.maintenance,
  'rounds.tick': QUEUES.surveys,
  'round.open': QUEUES.surveys,
  'round.invite': QUEUES.surveys,
  'round.remind': QUEUES.surveys,
  'round.remind-now': QUEUES.surveys,
  'round.close': QUEUES.surveys,
  'round.mix': QUEUES.surveys,
  'round.aggregate': QUEUES.aggregation,
  'outbox.sweep': QUEUES.maintenance,
  'export.build': QUEUES.exports,
  'notification.deliver': QUEUES.notifications,
  'sign-in-link.send': QUEUES.notifications,
  'conversation.notify': QUEUES.notifications,
} as const satisfies { [N in JobName]: QueueName };

/** The job names a queue carries; a processor's switch over them must be exhaustive. */
export type JobsOf<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never;
}[JobName];

/** A BullMQ job whose name and data agree, narrowed by switching on `name`. */
export type TypedJob<Q extends QueueName> = {
  [N in JobsOf<Q>]: { name: N; data: JobData<N> };
}[JobsOf<Q>];

/**
 * The job id that makes queuing the same work twice a no-op while the first is still known to
 * Redis; the database's own constraints cover the rest.
 */
export function jobId<N extends JobName>(name: N, data: JobData<N>): string {
  const parts = Object.values(data as Record<string, unknown>).map(String);
  return [name, ...parts].join('.');
}

/** Attempts and backoff in one place; processors are idempotent, so retries are always safe. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/**
 * Jobs whose work can be needed again for the same data (a late import re-aggregates a round)
 * leave Redis when done, so their job id deduplicates only while they wait or run.
 */
export const REPEATABLE_WORK: ReadonlySet<JobName> = new Set<JobName>([
  'round.aggregate',
  'round.mix',
]);
