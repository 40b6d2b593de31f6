/**
 * The one transaction helper: runs a function on one connection between BEGIN and COMMIT,
 * rolling back when it throws. Used by the stores, the desk, migrations and the outbox.
 * @module
 */
import type pg from "pg";

/** Anything that runs queries: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/** How a transaction begins. */
export interface TransactionOptions {
  /** The statement that begins it. @default "BEGIN" */
  readonly begin?: string;
}

/** A read-only snapshot: every statement sees the same data, so the parts of a report add up while residents write. */
export const READ_ONLY_SNAPSHOT: TransactionOptions = { begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" };

/** Runs `fn` in one transaction on a connection of the pool; commits when it resolves, rolls back when it throws. */
export async function withTransaction<T>(pool: Pick<pg.Pool, "connect">, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn, options);
  } finally {
    client.release();
  }
}

/** Runs `fn` in one transaction on a connection already held (e.g. one holding an advisory lock). */
export async function inTransaction<C extends Queryable, T>(client: C, fn: (client: C) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  await client.query(options.begin ?? "BEGIN");
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
