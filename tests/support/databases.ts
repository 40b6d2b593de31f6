/**
 * The databases integration suites run on: embedded PGlite always, and the PostgreSQL server at
 * 127.0.0.1:5432 (or TEST_DATABASE_URL) when it answers — CI requires it. Each server run works in
 * its own schema, dropped afterwards.
 */
import pg from "pg";
import { openDatabase, type Database } from "../../src/store/database.js";

/** The PostgreSQL server the tests use. */
export const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** True when the server answers; in CI a missing server is an error. */
export async function postgresAvailable(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${url}`);
    return false;
  }
}

/** Creates a fresh schema and opens the server database in it. */
export async function openSchema(prefix: string, url = PG_URL): Promise<Database & { schema: string }> {
  const schema = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1000)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return Object.assign(await openDatabase({ kind: "postgres", url, schema }), { schema });
}

/** A database a suite runs on. */
export interface DatabaseTarget {
  readonly name: string;
  open(): Promise<Database>;
  /** Closes it (and drops a server schema). */
  drop(db: Database): Promise<void>;
}

/** Embedded PGlite in memory. */
export const pgliteTarget: DatabaseTarget = { name: "PGlite", open: () => openDatabase({ kind: "pglite" }), drop: (db) => db.close() };

/** The PostgreSQL server in a fresh schema, or undefined when no server answers (outside CI). */
export async function serverTarget(prefix: string): Promise<DatabaseTarget | undefined> {
  if (!(await postgresAvailable())) return undefined;
  return {
    name: "PostgreSQL server",
    open: () => openSchema(prefix),
    drop: async (db) => {
      await db.pool.query(`DROP SCHEMA ${(db as Database & { schema: string }).schema} CASCADE`);
      await db.close();
    },
  };
}

/** PGlite, plus the PostgreSQL server when it answers. */
export async function databaseTargets(prefix: string): Promise<DatabaseTarget[]> {
  const server = await serverTarget(prefix);
  return server ? [pgliteTarget, server] : [pgliteTarget];
}
