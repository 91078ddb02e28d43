export { JobsModule } from './jobs.module';
export { JobFailuresService, safeJobError, type JobFailureView } from './job-failures.service';
export { JobQueue, QueueUnavailableError, type RedriveOutcome } from './job-queue.service';
export {
  QUEUES,
  JOB_QUEUE,
  DEFAULT_JOB_OPTIONS,
  jobId,
  type JobCatalogue,
  type JobName,
  type JobData,
  type QueueName,
  type JobsOf,
  type TypedJob,
} from './catalogue';
export { bullConnection, workerOptions } from './bullmq.config';
export { WorkHealthService, type WorkHealth } from './work-health.service';
