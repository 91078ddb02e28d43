import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadEnvOrExit } from '@trellis/config';
import { AggregationProcessor } from './aggregation.processor';
import { ExportsProcessor } from './exports.processor';
import { stopGracefully } from './graceful-stop';
import { MaintenanceProcessor } from './maintenance.processor';
import { NotificationsProcessor } from './notifications.processor';
import { SurveysProcessor } from './surveys.processor';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const env = await loadEnvOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  // On SIGTERM, BullMQ workers finish their current jobs (within SHUTDOWN_TIMEOUT_MS) before the
  // database and Redis close under them.
  const processors = [
    MaintenanceProcessor,
    SurveysProcessor,
    AggregationProcessor,
    ExportsProcessor,
    NotificationsProcessor,
  ];
  stopGracefully(app, processors, env.SHUTDOWN_TIMEOUT_MS);
  process.stdout.write('trellis worker: processing jobs\n');
}

void main();
