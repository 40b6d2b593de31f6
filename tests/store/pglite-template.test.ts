/**
 * The prepared cluster a new embedded database starts from (src/store/pglite-template.ts) must
 * be what this PGlite's own initdb makes plus the migrations its manifest lists, and a data folder
 * made from it must behave as one PGlite made itself: it keeps data across restarts, runs with
 * the embedded settings, and gets the migrations added after the template was made.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, PGLITE_SETTINGS } from "../../src/store/database.js";
import { createLogger } from "../../src/log.js";
import { LOCK_FILE } from "../../src/store/data-dir-lock.js";
import { migrate } from "../../src/store/migrate.js";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import pg from "pg";
import { MIGRATIONS_DIR } from "../../src/store/migrate.js";
import { loadTemplate, manifestFile, staleMigrations, templateMigrations, TEMPLATE_FILE } from "../../src/store/pglite-template.js";
import { must } from "../support/must.js";

/** What distinguishes one cluster from another, apart from its identity. */
const FINGERPRINT = [
  "SELECT current_setting('server_version_num') AS version",
  "SELECT datname, encoding, datcollate, datctype, datlocprovider, datallowconn, datistemplate FROM pg_database ORDER BY datname",
  "SELECT rolname, rolsuper FROM pg_roles ORDER BY rolname",
  "SELECT (SELECT count(*) FROM pg_class) AS classes, (SELECT count(*) FROM pg_proc) AS procs, (SELECT count(*) FROM pg_type) AS types, (SELECT count(*) FROM pg_collation) AS collations",
  "SELECT name, setting FROM pg_settings WHERE source NOT IN ('default', 'override', 'client', 'session') ORDER BY name",
  "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
  "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname",
  "SELECT version, name FROM schema_migrations ORDER BY version",
];

async function fingerprint(db: PGlite): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const sql of FINGERPRINT) out.push((await db.query(sql)).rows);
  return out;
}

describe("the prepared embedded database", () => {
  const folders: string[] = [];
  const folder = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), "digipaligs-template-"));
    folders.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  it("is the cluster this PGlite's initdb makes with the migrations of its manifest, which match their files (otherwise: npm run db:template)", async () => {
    expect(existsSync(TEMPLATE_FILE)).toBe(true);
    expect(await staleMigrations()).toEqual([]);
    const listed = Object.keys(await templateMigrations());
    expect(listed.length).toBeGreaterThan(0);
    // The same migrations on a fresh initdb, from a folder holding only those.
    const only = await folder();
    for (const name of listed) await cp(path.join(MIGRATIONS_DIR, name), path.join(only, name));
    const fresh = new PGlite();
    const loaded = new PGlite({ loadDataDir: must(await loadTemplate(), "the shipped template") });
    try {
      await Promise.all([fresh.waitReady, loaded.waitReady]);
      const pool = new pg.Pool({ ...(createPgConfig(fresh) as unknown as pg.PoolConfig), max: 1 });
      expect((await migrate(pool, only)).length).toBe(listed.length);
      await pool.end();
      expect(await fingerprint(loaded)).toEqual(await fingerprint(fresh));
    } finally {
      await Promise.all([fresh.close(), loaded.close()]);
    }
  }, 120_000);

  it("gives a new data folder a database that keeps its rows across a restart, with the embedded settings", async () => {
    const dataDir = await folder();
    const first = await openDatabase({ kind: "pglite", dataDir });
    try {
      await migrate(first.pool);
      await first.pool.query("CREATE TABLE kept (v TEXT)");
      await first.pool.query("INSERT INTO kept VALUES ('sveiki')");
      const settings = await first.pool.query<{ name: string; setting: string; unit: string }>("SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)", [Object.keys(PGLITE_SETTINGS)]);
      expect(settings.rows.map((r) => r.name).sort()).toEqual(Object.keys(PGLITE_SETTINGS).sort());
      expect((await first.pool.query("SHOW shared_buffers")).rows[0]).toEqual({ shared_buffers: PGLITE_SETTINGS.shared_buffers });
    } finally {
      await first.close();
    }
    expect(await readdir(dataDir)).not.toContain("postmaster.pid");
    const again = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect((await again.pool.query("SELECT v FROM kept")).rows).toEqual([{ v: "sveiki" }]);
      expect(await migrate(again.pool)).toEqual([]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it("gives a new data folder the migrations added after the template was made", async () => {
    const dir = await folder();
    for (const name of await readdir(MIGRATIONS_DIR)) await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name));
    await writeFile(path.join(dir, "999_added_later.sql"), "CREATE TABLE added_later (id INTEGER PRIMARY KEY);");
    const db = await openDatabase({ kind: "pglite", dataDir: await folder() });
    try {
      expect(await migrate(db.pool, dir)).toEqual([999]);
      expect((await db.pool.query("SELECT count(*)::int AS n FROM added_later")).rows[0]).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  }, 120_000);

  it("is not used when a migration it holds was changed since, and the new folder still gets the whole schema", async () => {
    const dir = await folder();
    const template = path.join(dir, "changed.tar.br");
    await cp(TEMPLATE_FILE, template);
    const manifest = JSON.parse(await readFile(manifestFile(), "utf8")) as { migrations: Record<string, string> };
    const [first] = Object.keys(manifest.migrations);
    manifest.migrations[must(first, "a migration of the manifest")] = "0".repeat(64);
    await writeFile(manifestFile(template), JSON.stringify(manifest));
    expect(await staleMigrations(MIGRATIONS_DIR, template)).toEqual([first]);
    const warnings: string[] = [];
    const log = createLogger("warn", (line) => warnings.push(line));
    const db = await openDatabase({ kind: "pglite", dataDir: await folder() }, { templateFile: template, log });
    try {
      expect(warnings.join("\n")).toMatch(/changed since/);
      expect((await db.pool.query("SELECT to_regclass('schema_migrations') AS t")).rows[0]).toEqual({ t: null });
      expect((await migrate(db.pool)).length).toBe((await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).length);
    } finally {
      await db.close();
    }
  }, 120_000);

  it("falls back to initdb when the template does not load, keeping what was in the folder", async () => {
    const dataDir = await folder();
    const broken = path.join(await folder(), "broken.tar.br");
    await writeFile(broken, "not a brotli stream");
    await writeFile(path.join(dataDir, "notes.txt"), "mine");
    const db = await openDatabase({ kind: "pglite", dataDir }, { templateFile: broken });
    try {
      expect((await db.pool.query<{ n: number }>("SELECT 1 + 1 AS n")).rows[0]?.n).toBe(2);
      expect(await readdir(dataDir)).toEqual(expect.arrayContaining(["notes.txt", "PG_VERSION", LOCK_FILE]));
    } finally {
      await db.close();
    }
  }, 120_000);
});
