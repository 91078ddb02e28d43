import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvOrExit } from '@trellis/config';
import { AppModule } from './app.module';
import { stopGracefully } from './common/graceful-stop';
import { createOpenApiDocument } from './openapi';
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

/** `main.js openapi <file>`: writes the OpenAPI document the server would serve, then exits. */
async function writeOpenApi(file: string): Promise<void> {
  await loadEnvOrExit('api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: ['error'],
    bodyParser: false,
  });
  await writeFile(file, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  process.stdout.write(`trellis api: OpenAPI document written to ${file}\n`);
}

if (process.argv[2] === 'openapi') {
  if (!process.argv[3]) {
    process.stderr.write('usage: node dist/apps/api/main.js openapi <file>\n');
    process.exit(2);
  }
  void writeOpenApi(process.argv[3]);
} else {
  void main();
}
