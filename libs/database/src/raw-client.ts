import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A connection from TypeORM's own pool as a plain `pg` client, for what TypeORM cannot do:
 * streaming COPY and cursors. Released however `work` ends; a client that failed mid-stream is
 * destroyed rather than returned to the pool in an unknown state.
 */
export async function withRawClient<T>(
  db: DataSource,
  work: (client: PoolClient) => Promise<T>,
  options: {
    /** Errors after which `work` has left the connection clean (idle, no transaction open). */
    reusableAfter?: (error: unknown) => boolean;
  } = {},
): Promise<T> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    if (!options.reusableAfter?.(error))
      failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure);
  }
}
