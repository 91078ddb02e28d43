// Builds what the pages load in the browser into dist/apps/api/assets: every
// apps/api/src/**/<name>.browser.ts bundled (with Chart.js) to <name>.js, and the one stylesheet.
// The API serves these files with a content hash in their URL (apps/api/src/views/assets.ts).
// esbuild, not the Nest webpack build: browser code targets the DOM, not Node, and is
// type-checked on its own (tsconfig.browser.json).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/apps/api/assets');

function browserEntries(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? browserEntries(join(dir, e.name))
      : e.name.endsWith('.browser.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const entries = browserEntries(join(root, 'apps/api/src'));
const results = await Promise.all([
  ...entries.map((entry) =>
    build({
      entryPoints: [entry],
      outfile: join(out, `${basename(entry, '.browser.ts')}.js`),
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020'],
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
  build({
    entryPoints: [join(root, 'apps/api/src/views/trellis.css')],
    outfile: join(out, 'trellis.css'),
    bundle: true,
    minify: true,
    logLevel: 'warning',
  }),
]);
// A warning here is a broken stylesheet or script (an unclosed rule, say): fail the build.
if (results.some((r) => r.warnings.length)) {
  process.stderr.write('trellis: the page assets built with warnings (above); fix them\n');
  process.exit(1);
}
