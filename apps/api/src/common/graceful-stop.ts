import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Stopping without cutting anyone off. On SIGTERM or SIGINT the server stops accepting
 * connections, every response from then on says `Connection: close`, idle keep-alive
 * connections are closed, and requests in flight run to their end; only those still running
 * after `timeoutMs` are cut. Then the application closes (database, Redis, queues) and the
 * process exits. Nest's own shutdown hooks would close the database under requests still running.
 */
export function stopGracefully(app: NestExpressApplication, timeoutMs: number): void {
  let stopping: Promise<void> | null = null;
  app.use((_req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (stopping) res.setHeader('Connection', 'close');
    next();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // Whatever hangs (a dead Redis under a closing queue), the process ends soon after the grace.
      setTimeout(() => process.exit(1), timeoutMs + 5000).unref();
      stopping ??= drain(app.getHttpServer(), timeoutMs)
        .then(() => closeWith(app, signal))
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`trellis api: stopping failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
    });
  }
}

function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
    process.stdout.write('trellis api: stopping; finishing the requests in flight\n');
  });
}

/** Nest's context closes with the signal its shutdown hooks are told about; its types omit it. */
function closeWith(app: { close(signal?: string): Promise<void> }, signal: string): Promise<void> {
  return app.close(signal);
}
