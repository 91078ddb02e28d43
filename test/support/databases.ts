import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the tests use; the database part of the URL is replaced per test file. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, copied from the migrated template (fast: a file copy). */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const template = process.env.TRELLIS_TEST_TEMPLATE;
  if (!template)
    throw new Error(
      'TRELLIS_TEST_TEMPLATE is unset: run the e2e tests through jest (its globalSetup builds it)',
    );
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${template}`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
