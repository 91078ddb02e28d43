import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadEnvOrExit } from '@trellis/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  await loadEnvOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // On SIGTERM, BullMQ workers finish their current job before the process exits.
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write('trellis worker: processing jobs\n');
}

void main();
