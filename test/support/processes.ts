import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A loopback port nobody listens on at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function builtEntry(app: 'api' | 'worker' | 'cli'): string {
  const file = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(file))
    throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  return file;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built process with extra environment, collecting its output. */
export function launch(
  app: 'api' | 'worker' | 'cli',
  env: Record<string, string>,
  args: string[] = [],
) {
  const child: ChildProcess = spawn(process.execPath, [builtEntry(app), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const finished = new Promise<Finished>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const output = () => stdout + stderr;
  /** Resolves when the output matches, rejects when the process exits first or the wait is over. */
  const waitFor = (pattern: RegExp, ms = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        const failure =
          child.exitCode !== null
            ? 'exited'
            : Date.now() - started > ms
              ? 'timed out'
              : pattern.test(output())
                ? null
                : '';
        if (failure === '') return;
        clearInterval(timer);
        if (failure) reject(new Error(`${failure} before ${pattern}: ${output()}`));
        else resolve();
      }, 50);
    });
  return { child, finished, waitFor };
}
