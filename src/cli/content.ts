/**
 * `cli content export <dir>` writes the published content as files (`<dir>/knowledge/…`,
 * `<dir>/flows/…`, for review in git); `cli content import <dir>` publishes the files of
 * `<dir>/knowledge` and `<dir>/flows` that differ from the published content, as one change.
 * Both run the full check first and stop on errors (`file:line: message`). Uses the configured
 * database (PGlite in DATA_DIR — stop the app first — or DATABASE_URL; running instances switch
 * to an import within 2 s).
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { loadConfig } from "../config.js";
import { ContentStore } from "../content/store.js";
import { buildContent, readContentDirs } from "../content/texts.js";
import { ContentEditError, UsageError } from "../core/errors.js";
import { formatDiagnostic } from "../knowledge/diagnostics.js";
import { silentLogger } from "../log.js";
import { openDatabase } from "../store/database.js";
import { migrate } from "../store/migrate.js";
import { LocalNotifier, PgNotifier, type Notifier } from "../store/notifier.js";

/** How `content` is used. */
export const CONTENT_USAGE = `  content export <dir>                      write the published content to <dir>/knowledge and <dir>/flows (after the full check)
  content import <dir>                      publish <dir>/knowledge and <dir>/flows (after the full check)`;

/** Runs `content …`; returns the exit code. */
export async function contentCommand(argv: readonly string[], io: { output: Writable; errors: Writable; env?: NodeJS.ProcessEnv }): Promise<number> {
  const [sub, dir, ...rest] = argv;
  if ((sub !== "export" && sub !== "import") || !dir || rest.length > 0) throw new UsageError(`Usage:\n${CONTENT_USAGE}`);
  const config = loadConfig(io.env ?? process.env);
  const target = path.resolve(dir);
  if (sub === "import") {
    // The files' own check first, before touching the database.
    const texts = await readContentDirs(path.join(target, "knowledge"), path.join(target, "flows"));
    if (texts.size === 0) throw new UsageError(`no content in ${target}/knowledge or ${target}/flows`);
    const errors = buildContent(texts).diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      for (const e of errors) io.errors.write(`${formatDiagnostic(e)}\n`);
      io.errors.write(`${errors.length} error(s): nothing was imported.\n`);
      return 1;
    }
  }
  const db = await openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl } : { kind: "pglite", dataDir: config.dataDir }, { purpose: `cli content ${sub}` });
  let notifier: Notifier | undefined;
  try {
    await migrate(db.pool);
    notifier = db.kind === "postgres" && db.connection ? await PgNotifier.start(db.pool, db.connection, silentLogger) : new LocalNotifier();
    const store = new ContentStore(db.pool, notifier);
    const published = await store.published();
    if (sub === "export") {
      if (published.texts.size === 0) {
        io.errors.write("The database has no content yet: start the app once (it imports the repository's folders) or run content import.\n");
        return 1;
      }
      const errors = buildContent(published.texts).diagnostics.filter((d) => d.severity === "error");
      for (const e of errors) io.errors.write(`${formatDiagnostic(e)}\n`);
      if (errors.length > 0) {
        io.errors.write(`${errors.length} error(s) in the published content: nothing was written.\n`);
        return 1;
      }
      for (const [p, text] of published.texts) {
        const file = path.join(target, ...p.split("/"));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, text);
      }
      io.output.write(`Wrote ${published.texts.size} files (revision ${published.revision}) to ${target}.\n`);
      return 0;
    }
    const texts = await readContentDirs(path.join(target, "knowledge"), path.join(target, "flows"));
    const changes = [...texts].filter(([p, text]) => published.texts.get(p) !== text).map(([p, text]) => ({ path: p, text }));
    if (changes.length === 0) {
      io.output.write("Nothing to import: the files equal the published content.\n");
      return 0;
    }
    try {
      const result = await store.publish(changes, { author: { name: "command line" }, source: "import", note: `cli content import ${dir}` });
      for (const w of result.warnings) io.errors.write(`${w.file}:${w.line}: warning: ${w.message}\n`);
      io.output.write(`Published ${result.revisions.length} file(s): ${result.revisions.map((r) => r.path).join(", ")}.\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof ContentEditError)) throw error;
      for (const p of error.problems) io.errors.write(`${p.file}:${p.line}: ${p.message}\n`);
      io.errors.write("Nothing was imported.\n");
      return 1;
    }
  } finally {
    await notifier?.close();
    await db.close();
  }
}
