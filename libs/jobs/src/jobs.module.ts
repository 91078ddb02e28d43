import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { bullConnection } from './bullmq.config';
import { QUEUES } from './catalogue';
import { JobFailuresService } from './job-failures.service';
import { JobQueue } from './job-queue.service';
import { WorkHealthService } from './work-health.service';

/** Registers the queues; producers inject JobQueue. */
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullConnection }),
    ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
  ],
  providers: [JobQueue, JobFailuresService, WorkHealthService],
  exports: [BullModule, JobQueue, JobFailuresService, WorkHealthService],
})
export class JobsModule {}
