// The pages link the built stylesheet and browser scripts (apps/api/src/views/assets.ts), so
// every jest run builds them first: it takes well under a second.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function buildAssets() {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/build-assets.mjs')], {
    stdio: 'inherit',
  });
};
