/**
 * One PostgreSQL access path for both deployments: a real server (`DATABASE_URL`) or embedded
 * PGlite in a folder, both through `pg`'s Pool, so the same SQL runs everywhere.
 * @module
 */
import { mkdir } from "node:fs/promises";
import pg from "pg";

/** Where the data lives. */
export type DatabaseTarget =
  | { readonly kind: "postgres"; readonly url: string; readonly schema?: string }
  | { readonly kind: "pglite"; readonly dataDir?: string };

/** An open database: a `pg` pool and how to close everything behind it. */
export interface Database {
  readonly pool: pg.Pool;
  readonly kind: DatabaseTarget["kind"];
  /** How to open another connection (a PostgreSQL server only; used for LISTEN). */
  readonly connection?: pg.ClientConfig;
  close(): Promise<void>;
}

/** Opens the database. PGlite without `dataDir` keeps its data in memory (tests). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const options = target.schema ? `-c search_path=${target.schema}` : undefined;
    const connection: pg.ClientConfig = { connectionString: target.url, ...(options ? { options } : {}) };
    const pool = new pg.Pool({ ...connection, max: 10 });
    return { pool, kind: "postgres", connection, close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  if (target.dataDir) await mkdir(target.dataDir, { recursive: true });
  const db = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  await db.waitReady;
  const pool = new pg.Pool(createPgConfig(db) as unknown as pg.PoolConfig);
  return {
    pool,
    kind: "pglite",
    close: async () => {
      await pool.end();
      await db.close();
    },
  };
}
