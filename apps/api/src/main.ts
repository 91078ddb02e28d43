import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvOrExit } from '@trellis/config';
import { AppModule } from './app.module';
import { stopGracefully } from './common/graceful-stop';
import { setupApp } from './setup-app';

async function main(): Promise<void> {
  const env = await loadEnvOrExit('api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  // Before the routes: once stopping, responses close their connections.
  stopGracefully(app, env.SHUTDOWN_TIMEOUT_MS);
  setupApp(app);
  await app.listen(env.PORT, env.HOST);
  process.stdout.write(
    `trellis api: listening on http://${env.HOST}:${env.PORT} (docs at /docs)\n`,
  );
}

void main();
