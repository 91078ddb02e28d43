#!/usr/bin/env node
// `npm start` and `npm test` run this first: on an end-of-life Node.js the build or a native
// module fails later with an obscure error, so say in one line what is needed and how to get it.
// Plain JavaScript that any Node.js still around can run.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const required = Number(/(\d+)/.exec(engines.node)[1]);
const major = Number(process.versions.node.split('.')[0]);

if (major < required) {
  process.stderr.write(
    `trellis: Node.js ${process.version} is too old; Trellis needs Node.js ${required} or newer (24 LTS recommended). ` +
      'Install it from https://nodejs.org, or fetch a private copy from the npm registry with ' +
      '`export PATH="$(scripts/node24.sh):$PATH"` and run the command again.\n',
  );
  process.exit(1);
}
