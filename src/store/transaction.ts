/**
 * The one transaction helper: runs a function on one connection between BEGIN and COMMIT,
 * rolling back when it throws. Used by the stores, the desk, migrations and the outbox.
 * @module
 */
import type pg from "pg";

/** Anything that runs queries: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/** Runs `fn` in one transaction on a connection of the pool; commits when it resolves, rolls back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn);
  } finally {
    client.release();
  }
}

/** Runs `fn` in one transaction on a connection already held (e.g. one holding an advisory lock). */
export async function inTransaction<C extends Queryable, T>(client: C, fn: (client: C) => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
