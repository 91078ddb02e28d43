import type { INestApplicationContext, Type } from '@nestjs/common';
import type { WorkerHost } from '@nestjs/bullmq';

/**
 * Stopping without abandoning work. On SIGTERM or SIGINT every BullMQ worker stops taking jobs
 * and the jobs in flight run to their end; any still running after `timeoutMs` are let go (their
 * locks lapse and another worker takes them over, as after a crash). Only then does the
 * application close the database and Redis under them.
 */
export function stopGracefully(
  app: INestApplicationContext,
  processors: Type<WorkerHost>[],
  timeoutMs: number,
): void {
  let stopping: Promise<void> | null = null;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // Whatever hangs (a dead Redis under a closing queue), the process ends soon after the grace.
      setTimeout(() => process.exit(1), timeoutMs + 5000).unref();
      stopping ??= finishJobs(app, processors, timeoutMs)
        .then(() => closeWith(app, signal))
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`trellis worker: stopping failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
    });
  }
}

async function finishJobs(
  app: INestApplicationContext,
  processors: Type<WorkerHost>[],
  timeoutMs: number,
): Promise<void> {
  const workers = processors.map((p) => app.get(p).worker);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([Promise.all(workers.map((w) => w.close())), late]);
  clearTimeout(timer);
  if (outcome === 'late') await Promise.all(workers.map((w) => w.close(true)));
}

/** Nest's context closes with the signal its shutdown hooks are told about; its types omit it. */
function closeWith(app: { close(signal?: string): Promise<void> }, signal: string): Promise<void> {
  return app.close(signal);
}
