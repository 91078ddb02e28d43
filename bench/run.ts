/**
 * `npm run bench`: each case measures the built product against a hand-written baseline in the
 * same run, on its own fresh database and Redis prefix, and the run ends with one table of
 * ratios (also written to bench/results/latest.json). It measures; it does not assert.
 *
 * Options: --only intake,aggregation (cases by name), --keep (leave the databases for a look).
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { aggregation } from './cases/aggregation';
import { close } from './cases/close';
import { exportCsv } from './cases/export';
import { growth } from './cases/growth';
import { intake } from './cases/intake';
import { monday } from './cases/monday';
import { NotYetWired, type BenchCase, type BenchContext } from './support/context';
import { databaseUrl, dropDatabase, freshDatabase } from './support/database';
import { formatMachine, machineInfo } from './support/machine';
import { RESULTS_DIR } from './support/paths';
import { clearPrefix } from './support/redis';
import { BENCH_ANSWER_KEY } from './support/sealing';
import { formatTable, writeResults, type Results } from './support/report';

const CASES: BenchCase[] = [intake, aggregation, growth, exportCsv, monday, close];

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function main(): Promise<void> {
  // Every process the bench starts (production settings) and every fixture seals with this key.
  process.env.ANSWER_KEY ??= BENCH_ANSWER_KEY;
  const { values } = parseArgs({
    options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  const only = values.only?.split(',');
  const unknown = only?.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown?.length)
    throw new Error(
      `unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`,
    );
  const postgresUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = Date.now().toString(36);
  const started = Date.now();

  const machine = await machineInfo(databaseUrl(postgresUrl, 'postgres'), redisUrl);
  process.stdout.write(`${formatMachine(machine)}\n\n`);
  const results: Results = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    machine,
    comparisons: [],
    missing: [],
  };

  for (const benchCase of CASES.filter((c) => !only || only.includes(c.name))) {
    const databases: string[] = [];
    const prefixes = new Set<string>();
    const context: BenchContext = {
      redisUrl,
      logDir: resolve(RESULTS_DIR, 'logs'),
      async database(suffix) {
        const database = await freshDatabase(postgresUrl, suffix);
        databases.push(database.name);
        return database;
      },
      redisPrefix(name) {
        const prefix = `trellis-bench-${name}-${runId}`;
        prefixes.add(prefix);
        return prefix;
      },
      log: (message) => log(`[${benchCase.name}] ${message}`),
    };
    const caseStarted = Date.now();
    context.log('starting');
    try {
      results.comparisons.push(...(await benchCase.run(context)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const wired = !(error instanceof NotYetWired);
      results.missing.push({ case: benchCase.title, reason, failed: wired });
      context.log(wired ? `FAILED: ${error instanceof Error ? error.stack : reason}` : reason);
    } finally {
      if (!values.keep) for (const name of databases) await dropDatabase(postgresUrl, name);
      for (const prefix of prefixes) await clearPrefix(redisUrl, prefix);
      context.log(`done in ${((Date.now() - caseStarted) / 1000).toFixed(0)} s`);
    }
  }

  results.seconds = Math.round((Date.now() - started) / 1000);
  const path = resolve(RESULTS_DIR, 'latest.json');
  writeResults(path, results);
  process.stdout.write(
    `\n${formatTable(results)}\n\n${results.seconds} s in all (build not counted); written to ${path}\n`,
  );
  if (results.missing.some((m) => m.failed)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
