import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AggregationModule } from '@trellis/aggregation';
import { ConfigModule, loggingModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { ExportsModule } from '@trellis/exports';
import { IdentityModule } from '@trellis/identity';
import { JobsModule } from '@trellis/jobs';
import { NotificationsModule } from '@trellis/notifications';
import { RedisModule } from '@trellis/redis';
import { SurveysModule } from '@trellis/surveys';
import { AggregationProcessor } from './aggregation.processor';
import { ExportsProcessor } from './exports.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { NotificationsProcessor } from './notifications.processor';
import { Reconciler } from './reconciler';
import { Schedules } from './schedules';
import { SurveysProcessor } from './surveys.processor';
import { WorkerErrors } from './worker-errors';

/** The worker process: BullMQ processors and schedules, no HTTP server. */
@Module({
  imports: [
    DiscoveryModule,
    ConfigModule,
    loggingModule('worker'),
    DatabaseModule,
    RedisModule,
    JobsModule,
    IdentityModule,
    SurveysModule,
    AggregationModule,
    ExportsModule,
    NotificationsModule,
  ],
  providers: [
    MaintenanceProcessor,
    SurveysProcessor,
    AggregationProcessor,
    ExportsProcessor,
    NotificationsProcessor,
    Schedules,
    Reconciler,
    WorkerErrors,
  ],
})
export class WorkerModule implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    process.stdout.write(`trellis worker: stopped${signal ? ` on ${signal}` : ''}\n`);
  }
}
