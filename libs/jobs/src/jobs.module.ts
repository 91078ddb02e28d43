import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { bullConnection } from './bullmq.config';
import { QUEUES } from './catalogue';

/** Registers the queues; producers inject them with @InjectQueue(QUEUES.x). */
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullConnection }),
    ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
  ],
  exports: [BullModule],
})
export class JobsModule {}
