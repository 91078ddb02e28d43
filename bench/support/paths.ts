import { resolve } from 'node:path';

/** The repository root, from this file's compiled place in dist/bench/bench/support. */
export const ROOT = resolve(__dirname, '../../../..');

export const API = resolve(ROOT, 'dist/apps/api/main.js');
export const WORKER = resolve(ROOT, 'dist/apps/worker/main.js');
export const CLI = resolve(ROOT, 'dist/apps/cli/main.js');

/** Compiled benchmark scripts that run as processes of their own. */
export const BASELINE_SERVER = resolve(__dirname, '../intake/baseline-server.js');
export const INDEPENDENT_SERVER = resolve(__dirname, '../intake/independent-server.js');
export const MONDAY_BASELINE = resolve(__dirname, '../monday/baseline-sender.js');
export const LOAD_GENERATOR = resolve(__dirname, '../intake/load-generator.js');

export const RESULTS_DIR = resolve(ROOT, 'bench/results');
