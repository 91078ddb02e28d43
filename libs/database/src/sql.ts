/** Anything that runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface Sql {
  query<T = unknown>(query: string, parameters?: unknown[]): Promise<T>;
}

/** Runs an UPDATE or DELETE and returns how many rows it touched (TypeORM returns [rows, count]). */
export async function affected(db: Sql, query: string, parameters: unknown[]): Promise<number> {
  const [, count] = await db.query<[unknown, number]>(query, parameters);
  return count;
}

/** Runs an UPDATE or DELETE ... RETURNING and returns the returned rows. */
export async function returning<T>(db: Sql, query: string, parameters: unknown[]): Promise<T[]> {
  const [rows] = await db.query<[T[], number]>(query, parameters);
  return rows;
}
