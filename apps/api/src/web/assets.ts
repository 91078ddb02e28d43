import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Chart.js, read once at start-up from node_modules (external to the webpack build, so
 * require.resolve finds the installed package). The package's "exports" do not list the UMD
 * file, so it is found beside the package's main entry (dist/chart.cjs). The report pages reference it with a content
 * hash in the query so a long cache lifetime never serves an old copy after an upgrade.
 */
export const CHART_JS: Buffer = readFileSync(
  // createRequire, not require.resolve: webpack would turn the latter into a module id.
  join(dirname(createRequire(__filename).resolve('chart.js')), 'chart.umd.min.js'),
);

const CHART_JS_VERSION = createHash('sha256').update(CHART_JS).digest('hex').slice(0, 12);

export const CHART_JS_URL = `/assets/chart.umd.min.js?v=${CHART_JS_VERSION}`;
