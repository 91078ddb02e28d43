export { JobsModule } from './jobs.module';
export {
  QUEUES,
  JOB_QUEUE,
  DEFAULT_JOB_OPTIONS,
  type JobCatalogue,
  type JobName,
  type JobData,
  type QueueName,
} from './catalogue';
export { bullConnection } from './bullmq.config';
