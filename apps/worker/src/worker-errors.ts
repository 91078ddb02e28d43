import { Logger, type INestApplicationContext, type Type } from '@nestjs/common';
import type { WorkerHost } from '@nestjs/bullmq';

/**
 * A BullMQ worker with no `error` listener prints each error as a bare stack trace (one per
 * reconnection attempt while Redis is away). Listening makes them log lines like any other: one
 * structured warning, at most one a minute across all workers, while the workers keep retrying.
 */
export function logWorkerErrors(
  app: INestApplicationContext,
  processors: Type<WorkerHost>[],
): void {
  const logger = new Logger('worker');
  let lastWarning = 0;
  for (const processor of processors) {
    const worker = app.get(processor).worker;
    worker.on('error', (error: Error) => {
      if (Date.now() - lastWarning < 60_000) return;
      lastWarning = Date.now();
      logger.warn(
        { err: { name: error.name, message: error.message }, queue: worker.name },
        'worker cannot reach Redis or PostgreSQL; it retries',
      );
    });
  }
}
