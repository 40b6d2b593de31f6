/**
 * Versioned SQL migrations (`src/store/migrations/NNN_name.sql`), applied in order at start,
 * each in its own transaction, under an advisory lock so that several instances can start at once.
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { inTransaction } from "./transaction.js";

/** Where the migrations live. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
/** A migration's file name: `NNN_name.sql`. */
export const MIGRATION_FILE = /^\d{3}_[\w-]+\.sql$/;
/** Arbitrary constant identifying our migration lock. */
const LOCK_ID = 7_420_301;

/** Applies every migration not applied yet; returns the versions applied now. */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    for (const file of files) {
      const version = Number(file.slice(0, 3));
      if (done.has(version)) continue;
      const sql = await readFile(path.join(dir, file), "utf8");
      await inTransaction(client, async (tx) => {
        await tx.query(sql);
        await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [version, file]);
      });
      applied.push(version);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => undefined);
    client.release();
  }
  return applied;
}
