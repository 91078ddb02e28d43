import { runMigrations } from '../../libs/database/src/migrate';
import { admin, TEMPLATE_DB, urlFor } from './databases';

/** Builds the template database once per run: every test file clones it instead of migrating. */
export default async function globalSetup(): Promise<void> {
  await admin(async (c) => {
    // Leftovers of interrupted runs.
    const stale = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like 'trellis_test_%'`,
    );
    for (const { datname } of stale.rows)
      await c.query(`drop database if exists ${datname} with (force)`);
    await c.query(`create database ${TEMPLATE_DB}`);
  });
  await runMigrations(urlFor(TEMPLATE_DB));
}
