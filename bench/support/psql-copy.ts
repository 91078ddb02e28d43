import { spawn } from 'node:child_process';

export interface CopyMeasurement {
  rows: number;
  ms: number;
  /** psql's peak resident memory, from GNU time. */
  peakMiB: number;
}

/**
 * The export baseline: `psql -c "copy (<query>) to stdout"` as CSV with a header, read and
 * discarded by this process (counting lines), timed from start to exit.
 */
export function psqlCopy(databaseUrl: string, query: string): Promise<CopyMeasurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        'psql',
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        databaseUrl,
        '-c',
        `copy (${query}) to stdout with (format csv, header true)`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // GNU time prints the peak in KiB as the last line of stderr.
      const kib = Number(stderr.trim().split('\n').at(-1));
      if (code !== 0 || !Number.isFinite(kib))
        reject(new Error(`psql copy failed (${code}): ${stderr.trim()}`));
      else resolve({ rows: Math.max(0, lines - 1), ms, peakMiB: kib / 1024 });
    });
  });
}
