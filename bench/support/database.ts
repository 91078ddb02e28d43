import { Client } from 'pg';
import { runNode } from './processes';
import { CLI } from './paths';

/** A benchmark database, created and migrated by the product's own `migrate` command. */
export interface BenchDatabase {
  name: string;
  url: string;
}

/** Every benchmark database is named so; nothing else is ever created or dropped. */
const PREFIX = 'trellis_bench_';

/** The URL of one database on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!name.startsWith(PREFIX)) throw new Error(`refusing to drop ${name}: not a bench database`);
  // `with (force)` ends the connections of a process that crashed and left them open.
  await onServer(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** Drops what a crashed earlier run may have left under this name, then migrates afresh. */
export async function freshDatabase(serverUrl: string, suffix: string): Promise<BenchDatabase> {
  const name = `${PREFIX}${suffix}`;
  await dropDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  await runNode(CLI, ['migrate'], { DATABASE_URL: url });
  return { name, url };
}

export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs `work` with a connection of its own, closed however `work` ends. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
