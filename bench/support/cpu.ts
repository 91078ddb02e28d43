import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { median, timed } from './stats';

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU time spent by a set of processes over a stretch of work, on a machine shared with other
 * work: wall time there measures the neighbours too, CPU time much less so. Polls the database's
 * server processes (other than `own`'s) while the work runs, so connections opened meanwhile
 * count from zero, and adds `pids` (e.g. a worker).
 */
export async function cpuDuring<T>(
  own: Client,
  pids: number[],
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: number }> {
  const backends = async () =>
    (
      await own.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      )
    ).rows.map((r) => r.pid);
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  for (const pid of [...pids, ...(await backends())]) {
    start.set(pid, processCpuMs(pid));
    last.set(pid, start.get(pid)!);
  }
  let running = true;
  const poll = (async () => {
    while (running) {
      for (const pid of [...last.keys(), ...(await backends())]) {
        const now = processCpuMs(pid);
        if (now > 0) last.set(pid, Math.max(last.get(pid) ?? 0, now));
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    const result = await work();
    return {
      result,
      cpuMs: [...last].reduce((sum, [pid, ms]) => sum + ms - (start.get(pid) ?? 0), 0),
    };
  } finally {
    running = false;
    await poll;
  }
}

/** The whole machine's busy and total CPU time so far (all cores, from /proc/stat), in ticks. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  // idle and iowait are the machine waiting; everything else (steal included) is not available.
  const idle = ticks[3] + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Starts measuring how busy the machine's cores are; the returned function gives the busy share
 * since then (0–1). A second worker can only go faster where the first left cores idle.
 */
export function machineBusySince(): () => number {
  const start = machineTicks();
  return () => {
    const end = machineTicks();
    return (end.busy - start.busy) / Math.max(1, end.total - start.total);
  };
}

/** A baseline run `times` times: each run's wall and CPU time, and their medians. */
export interface RepeatedRuns {
  ms: number;
  cpuMs: number;
  runsMs: number[];
  cpuRunsMs: number[];
}

/** Runs `work` `times` times one after another, timing each (wall, and CPU of `pids` and PostgreSQL). */
export async function repeatedRuns(
  monitor: Client,
  pids: number[],
  times: number,
  work: () => Promise<unknown>,
): Promise<RepeatedRuns> {
  const runsMs: number[] = [];
  const cpuRunsMs: number[] = [];
  for (let i = 0; i < times; i++) {
    const run = await cpuDuring(monitor, pids, () => timed(work));
    runsMs.push(run.result);
    cpuRunsMs.push(run.cpuMs);
  }
  return { ms: median(runsMs), cpuMs: median(cpuRunsMs), runsMs, cpuRunsMs };
}
