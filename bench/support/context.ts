import type { BenchDatabase } from './database';
import type { Comparison } from './report';

/** What the runner gives each case: where things are, and a fresh database per request. */
export interface BenchContext {
  redisUrl: string;
  /** Where the processes' logs go, one file per process. */
  logDir: string;
  /** A freshly migrated `trellis_bench_<suffix>`, dropped after the case unless --keep. */
  database(suffix: string): Promise<BenchDatabase>;
  /** A Redis prefix of this case's own, cleared after the case. */
  redisPrefix(name: string): string;
  log(message: string): void;
}

export interface BenchCase {
  /** Short name, used by --only. */
  name: string;
  /** How the table names the case when it has no figures. */
  title: string;
  run(context: BenchContext): Promise<Comparison[]>;
}

/** Thrown by a case whose product side does not exist yet; reported, not counted as a failure. */
export class NotYetWired extends Error {}
