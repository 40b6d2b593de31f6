/**
 * One PostgreSQL access path for both deployments: a real server (`DATABASE_URL`) or embedded
 * PGlite in a folder, both through `pg`'s Pool, so the same SQL runs everywhere.
 *
 * A server that restarts or drops connections never takes the process down: idle and checked-out
 * connections have an error listener, a request that meets a lost connection fails with an error
 * that {@link isConnectionError} recognises (the HTTP side answers 503), and the pool connects
 * again by itself once the server is back. An embedded data folder is locked for one process
 * (see {@link DataDirLock}).
 * @module
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Logger } from "../log.js";
import { DataDirLock } from "./data-dir-lock.js";
import { extractTemplate, loadTemplate, staleMigrations, TEMPLATE_FILE } from "./pglite-template.js";

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

/** Options for {@link openDatabase}. */
export interface OpenOptions {
  /** Where lost connections are reported (they are survived either way). */
  readonly log?: Logger;
  /** What the lock file says this process is (PGlite in a folder), e.g. "npm start". */
  readonly purpose?: string;
  /** Called while a new embedded database is prepared (the first start takes a few seconds). */
  readonly onPrepare?: (message: string) => void;
  /** Another prepared cluster for a new embedded database (tests); see src/store/pglite-template.ts. */
  readonly templateFile?: string;
}

/** How long a request waits for a connection before it fails (the server is away). */
const CONNECT_TIMEOUT_MS = 5000;

/** SQLSTATE classes and codes that mean the server went away or is not accepting work now. */
const UNAVAILABLE_STATES = /^(?:08|57P0[1-4]|53300|58030)/;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);
const LOST_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Cannot use a pool after calling end|terminating connection|the database system is (?:starting up|shutting down|in recovery mode)|server closed the connection/i;

/**
 * True when `error` means the database cannot be reached right now (a restart, a dropped
 * connection, too many connections): the request may be tried again later, nothing is wrong with it.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_STATES.test(code)))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && LOST_MESSAGES.test(message)) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isConnectionError(x))) return true;
  }
  return false;
}

/** Reports errors of idle and checked-out connections instead of letting them end the process. */
function guard(pool: pg.Pool, log: Logger | undefined): void {
  let last = 0;
  const report = (error: Error): void => {
    // One line per burst: a restart drops every connection at once.
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    log?.warn("database connection lost; it reconnects by itself when the server is back", { error });
  };
  pool.on("error", report);
  pool.on("connect", (client) => {
    client.on("error", report);
  });
}

/**
 * The pool over PGlite's node-postgres adapter. PGlite has one connection object that every
 * pool client shares; `pg.Pool.query` ends the client after a failed statement, and the ended
 * client's "end" then reaches the next client, so that one failed statement (a constraint
 * violation) made the next one fail with "Connection terminated unexpectedly". Here a query
 * keeps its client after an error (the adapter's connection is still fine), and idle clients
 * are never ended.
 */
class PglitePool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads, forwarded as they are
  override query(...given: any[]): any {
    const args: unknown[] = given;
    if (typeof args[args.length - 1] === "function") return (super.query as (...a: unknown[]) => unknown)(...args);
    return (async () => {
      const client = await this.connect();
      try {
        return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        client.release();
      }
    })();
  }
}

/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own. PGlite reserves
 * PostgreSQL's default 128 MB of shared buffers inside its WebAssembly memory, and all of it
 * becomes resident memory as pages are read; one process with one connection needs far less.
 * 16 MB holds the hot part of a year's indexes (bench/year.ts); the rest comes from the file
 * system cache, as on a server.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: "16MB",
  wal_buffers: "1MB",
  temp_buffers: "2MB",
};

/** Files and folders in `dir` now (to undo a half-written first start). */
async function entries(dir: string): Promise<Set<string>> {
  return new Set(await readdir(dir).catch(() => []));
}

/** Opens PGlite; a new database starts from the prepared template when there is one. */
async function openPglite(dataDir: string | undefined, log: Logger | undefined, templateFile = TEMPLATE_FILE): Promise<import("@electric-sql/pglite").PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const startParams = [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const start = async (loadDataDir?: Blob): Promise<import("@electric-sql/pglite").PGlite> => {
    // One options object: PGlite drops the options after an undefined dataDir (`new PGlite(undefined,
    // options)` would start in memory without the template and the settings).
    const db = new PGlite({ ...(dataDir ? { dataDir } : {}), startParams, ...(loadDataDir ? { loadDataDir } : {}) });
    try {
      await db.waitReady;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return db;
  };
  if (dataDir && !await DataDirLock.isEmpty(dataDir)) return start();
  // A template whose migrations were changed since it was made would hold the old schema.
  const stale = await staleMigrations(undefined, templateFile).catch(() => ["(the template's manifest)"]);
  if (stale.length > 0) {
    log?.warn(`the prepared database template holds migrations that changed since (${stale.join(", ")}); running initdb instead (npm run db:template renews it)`);
    return start();
  }
  if (!dataDir) {
    const template = await loadTemplate(templateFile);
    return template ? start(template).catch(() => start()) : start();
  }
  const before = await entries(dataDir);
  try {
    if (await extractTemplate(dataDir, templateFile)) return await start();
  } catch (error) {
    // A template of another PostgreSQL version (PGlite was upgraded): PGlite's initdb instead,
    // after removing what the attempt wrote (nothing that was in the folder before).
    log?.warn("the prepared database template did not load; running initdb instead (npm run db:template renews it)", { error });
    for (const name of await entries(dataDir)) {
      if (!before.has(name)) await rm(path.join(dataDir, name), { recursive: true, force: true });
    }
  }
  return start();
}

/** Opens the database. PGlite without `dataDir` keeps its data in memory (tests). */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === "postgres") {
    const pgOptions = target.schema ? `-c search_path=${target.schema}` : undefined;
    const connection: pg.ClientConfig = { connectionString: target.url, ...(pgOptions ? { options: pgOptions } : {}) };
    const pool = new pg.Pool({ ...connection, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    guard(pool, options.log);
    return { pool, kind: "postgres", connection: { ...connection, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }, close: () => pool.end() };
  }
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  let lock: DataDirLock | undefined;
  if (target.dataDir) {
    await mkdir(target.dataDir, { recursive: true });
    lock = await DataDirLock.acquire(target.dataDir, options.purpose);
  }
  try {
    if (target.dataDir && options.onPrepare && await DataDirLock.isEmpty(target.dataDir)) {
      options.onPrepare(`preparing the embedded database in ${target.dataDir} (first start only; this takes a few seconds)…`);
    }
    const db = await openPglite(target.dataDir, options.log, options.templateFile);
    const pool = new PglitePool({ ...(createPgConfig(db) as unknown as pg.PoolConfig), idleTimeoutMillis: 0 });
    guard(pool, options.log);
    return {
      pool,
      kind: "pglite",
      close: async () => {
        try {
          await pool.end();
          await db.close();
        } finally {
          await lock?.release();
        }
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
