import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type Env = Record<string, string>;

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a Node script to completion and returns its stdout; a non-zero exit rejects with stderr. */
export function runNode(script: string, args: string[], env: Env = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString();
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${script} ${args.join(' ')} exited ${code}:\n${tail(Buffer.concat(err).toString() || stdout)}`,
          ),
        );
    });
  });
}

/** A long-running child process (the API, a worker, the baseline server). */
export interface Service {
  name: string;
  pid: number;
  logPath: string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts a Node script whose output goes straight to a log file (not through this process, which
 * would take CPU from the measurement on a small machine), and resolves once the log shows `ready`.
 */
export async function startService(options: {
  name: string;
  script: string;
  env: Env;
  ready: RegExp;
  logPath: string;
  timeoutMs?: number;
}): Promise<Service> {
  mkdirSync(dirname(options.logPath), { recursive: true });
  const fd = openSync(options.logPath, 'w');
  const child = spawn(process.execPath, [options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const log = () => readFileSync(options.logPath, 'utf8');
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (options.ready.test(log())) break;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${options.name} exited before it was ready:\n${tail(log())}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready within the time limit:\n${tail(log())}`);
    }
    await sleep(100);
  }
  return {
    name: options.name,
    pid: child.pid!,
    logPath: options.logPath,
    async stop() {
      const done = exited(child);
      child.kill('SIGTERM');
      // Unreferenced, so a process that exits at once does not hold the benchmark for the grace.
      const grace = sleep(20_000, undefined, { ref: false }).then(() => 'late' as const);
      if ((await Promise.race([done, grace])) === 'late') {
        child.kill('SIGKILL');
        await done;
      }
    },
  };
}

function memoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no ${field} for process ${pid}`);
  return kib / 1024;
}

/** The highest resident memory a live process has had so far (Linux: VmHWM), in MiB. */
export function peakMemoryMiB(pid: number): number {
  return memoryMiB(pid, 'VmHWM');
}

/**
 * Starts a new peak for {@link peakMemoryMiB}: Linux resets VmHWM to the current resident size
 * when 5 is written to the process's clear_refs.
 */
export function resetPeakMemory(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** A live process's resident memory now, in MiB. */
export function residentMemoryMiB(pid: number): number {
  return memoryMiB(pid, 'VmRSS');
}

/** A loopback port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
