import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runMigrations } from '../../libs/database/src/migrate';
import { admin, urlFor } from './databases';

/**
 * Builds a template database once per run: every test file clones it instead of migrating.
 * Its name is unique to the run, so parallel runs on one server never touch each other.
 */
export default async function globalSetup(): Promise<void> {
  // The pages link the built stylesheet and browser scripts.
  execFileSync(process.execPath, [join(__dirname, '../../scripts/build-assets.mjs')], {
    stdio: 'inherit',
  });
  const template = `trellis_tpl_${randomBytes(4).toString('hex')}`;
  process.env.TRELLIS_TEST_TEMPLATE = template;
  await admin((c) => c.query(`create database ${template}`));
  await runMigrations(urlFor(template));
}
