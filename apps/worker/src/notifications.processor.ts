import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, workerOptions, type TypedJob } from '@trellis/jobs';
import { SignInLinksService } from '@trellis/identity';
import { NotificationsService } from '@trellis/notifications';

/** One delivery attempt per run; BullMQ's exponential backoff spaces the retries. */
@Processor(QUEUES.notifications, workerOptions(4))
export class NotificationsProcessor extends WorkerHost {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly signInLinks: SignInLinksService,
  ) {
    super();
  }

  async process(raw: Job): Promise<unknown> {
    const job = raw as unknown as TypedJob<typeof QUEUES.notifications>;
    switch (job.name) {
      case 'notification.deliver':
        return this.notifications.deliver(
          job.data.notificationId,
          raw.attemptsMade + 1 >= (raw.opts.attempts ?? 1),
        );
      case 'sign-in-link.send':
        return this.signInLinks.send(job.data.linkId);
      case 'conversation.notify':
        return this.notifications.notifyConversationAnswer(job.data.replyId);
      default: {
        const unknownJob: never = job;
        throw new Error(
          `notifications queue has no handler for job "${String((unknownJob as Job).name)}"`,
        );
      }
    }
  }
}
