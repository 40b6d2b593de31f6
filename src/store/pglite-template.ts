/**
 * A prepared embedded database cluster: what PGlite's `initdb` makes, stored once as a
 * brotli-compressed tarball (`pglite-template.tar.br`, about 1.4 MB) and loaded with PGlite's
 * `loadDataDir` when a data folder (or an in-memory database) is new.
 *
 * PGlite's own first start runs `initdb` in a second WebAssembly instance and copies its result
 * over: 5–10 s and about 450 MB of memory that stay with the process. Loading the tarball takes
 * a fraction of that and keeps the first start as light as a restart.
 *
 * The template also holds the schema: the migrations that existed when it was made are applied
 * in it, and `pglite-template.json` lists them with a hash of each file. A new database made
 * from it only runs the migrations added since (as any restart would). When a migration the
 * template holds no longer matches its file, the template is not used (PGlite's `initdb`, then
 * every migration). Rebuild it with `npm run db:template` when PGlite's PostgreSQL changes, or to
 * include new migrations (tests/store/pglite-template.test.ts compares it with a fresh `initdb`
 * plus the same migrations).
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, open, readdir, readFile, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, constants, createBrotliDecompress } from "node:zlib";
import { migrate, MIGRATION_FILE, MIGRATIONS_DIR } from "./migrate.js";

/** Where the template lives (next to this module, shipped with the sources). */
export const TEMPLATE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "pglite-template.tar.br");

/** The migrations applied in a template: file name → SHA-256 of its text. */
export type TemplateMigrations = Readonly<Record<string, string>>;

/** The manifest next to a template file (`….tar.br` → `….json`). */
export function manifestFile(file = TEMPLATE_FILE): string {
  return file.replace(/\.tar\.br$/, "") + ".json";
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The migrations a template holds (none when it has no manifest). */
export async function templateMigrations(file = TEMPLATE_FILE): Promise<TemplateMigrations> {
  const manifest = manifestFile(file);
  if (!existsSync(manifest)) return {};
  const parsed = JSON.parse(await readFile(manifest, "utf8")) as { migrations?: TemplateMigrations };
  return parsed.migrations ?? {};
}

/**
 * The template's migrations that no longer match the files in `dir` (changed or removed since it
 * was made); empty when the template may be used.
 */
export async function staleMigrations(dir = MIGRATIONS_DIR, file = TEMPLATE_FILE): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, hash] of Object.entries(await templateMigrations(file))) {
    const text = await readFile(path.join(dir, name), "utf8").catch(() => undefined);
    if (text === undefined || sha256(text) !== hash) stale.push(name);
  }
  return stale;
}

const unpack = promisify(brotliDecompress);
const pack = promisify(brotliCompress);

/** The template as a tar Blob for `loadDataDir` (an in-memory database), or undefined when the file is missing. */
export async function loadTemplate(file = TEMPLATE_FILE): Promise<Blob | undefined> {
  if (!existsSync(file)) return undefined;
  const tar = await unpack(await readFile(file));
  return new Blob([new Uint8Array(tar.buffer, tar.byteOffset, tar.byteLength)]);
}

/**
 * Writes the template's files into `dir` (a new data folder) with Node's file system, streaming
 * (PGlite's `loadDataDir` copies the 40 MB through its WebAssembly memory, and whole buffers of
 * that size stay in the process's resident memory). Returns false when there is no template file.
 */
export async function extractTemplate(dir: string, file = TEMPLATE_FILE): Promise<boolean> {
  if (!existsSync(file)) return false;
  const root = path.resolve(dir);
  let pending: Buffer = Buffer.alloc(0);
  let body: { handle: FileHandle; left: number; pad: number } | undefined;
  let skip = 0;
  let ended = false;
  const field = (header: Buffer, at: number, length: number): string => header.toString("latin1", at, at + length).replace(/\0.*$/s, "");
  for await (const chunk of createReadStream(file).pipe(createBrotliDecompress()) as AsyncIterable<Buffer>) {
    pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    while (!ended) {
      if (body) {
        const take = Math.min(body.left, pending.length);
        if (take > 0) await body.handle.write(pending.subarray(0, take));
        pending = pending.subarray(take);
        body.left -= take;
        if (body.left > 0) break;
        await body.handle.close();
        skip = body.pad;
        body = undefined;
      }
      if (skip > 0) {
        const take = Math.min(skip, pending.length);
        pending = pending.subarray(take);
        skip -= take;
        if (skip > 0) break;
      }
      if (pending.length < 512) break;
      const header = pending.subarray(0, 512);
      pending = pending.subarray(512);
      if (header[0] === 0) {
        ended = true; // the end: empty blocks
        break;
      }
      const prefix = field(header, 345, 155);
      const name = (prefix ? `${prefix}/` : "") + field(header, 0, 100);
      const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
      const type = field(header, 156, 1) || "0";
      const target = path.resolve(root, `.${path.posix.normalize(`/${name}`)}`);
      if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`template entry outside the folder: ${name}`);
      if (type === "0" && path.basename(target) === "postmaster.pid") {
        skip = size + ((512 - (size % 512)) % 512); // the dumping process's, not ours
      } else if (type === "5") {
        await mkdir(target, { recursive: true, mode: 0o700 });
      } else if (type === "0") {
        await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        body = { handle: await open(target, "w", 0o600), left: size, pad: (512 - (size % 512)) % 512 };
      } else {
        throw new Error(`template entry of an unexpected type ${JSON.stringify(type)}: ${name}`);
      }
    }
  }
  if (body) {
    await body.handle.close();
    throw new Error("the template ends inside a file");
  }
  return true;
}

/**
 * Runs PGlite's `initdb` in memory, applies the migrations in `dir`, and writes the cluster to
 * `file` and their list to its manifest; returns the compressed size.
 */
export async function buildTemplate(file = TEMPLATE_FILE, dir = MIGRATIONS_DIR): Promise<number> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  const { default: pg } = await import("pg");
  const db = new PGlite();
  await db.waitReady;
  const pool = new pg.Pool({ ...(createPgConfig(db) as unknown as import("pg").PoolConfig), max: 1 });
  const applied = await migrate(pool, dir);
  await pool.end();
  const migrations: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (applied.includes(Number(name.slice(0, 3))) && MIGRATION_FILE.test(name)) migrations[name] = sha256(await readFile(path.join(dir, name), "utf8"));
  }
  const dump = await db.dumpDataDir("none");
  await db.close();
  const tar = Buffer.from(await dump.arrayBuffer());
  const compressed = await pack(tar, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tar.length },
  });
  await writeFile(file, compressed);
  await writeFile(manifestFile(file), `${JSON.stringify({ migrations }, null, 2)}\n`);
  return compressed.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const size = await buildTemplate();
  process.stdout.write(`wrote ${TEMPLATE_FILE} (${(size / 2 ** 20).toFixed(2)} MB)\n`);
}
