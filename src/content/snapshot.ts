/**
 * A snapshot of the built content in the embedded database's folder, so that a restart does not
 * parse and check the same guides and flows again (the YAML front matter, the flows and the
 * checks took about half a second of a restart's CPU).
 *
 * The snapshot is keyed by a SHA-256 of everything the build depends on: the content texts, the
 * day the date rules were checked for, and the source code of the app (any change to the code
 * builds again). It is written with `node:v8` (structured clone, which keeps the Maps), in a
 * temporary file renamed over the old one, so a crash never leaves half a snapshot; a snapshot
 * that does not read back, or belongs to other texts, is ignored and the content is built.
 * Only content without errors is kept.
 * @module
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import type { Content } from "../content.js";
import { FlowSet } from "../flows/load.js";
import type { Flow } from "../flows/flow.js";
import type { Diagnostic } from "../knowledge/diagnostics.js";
import { createHolidays, type Holiday } from "../knowledge/holidays.js";
import type { KnowledgeBase, LoadOptions } from "../knowledge/load.js";
import { buildContent, type ContentTexts } from "./texts.js";

/** The snapshot's file name inside the data folder. */
export const SNAPSHOT_FILE = "digipaligs-content.snapshot";

/** Bumped when the snapshot's layout changes. */
const FORMAT = 1;

/** The app's source folder (`src/`), whose code the key includes. */
const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What the file holds: plain data only (the holiday lookups and the flow set are rebuilt). */
interface Stored {
  readonly format: number;
  readonly key: string;
  readonly knowledge: Omit<KnowledgeBase, "holidays"> & { readonly holidays?: { readonly list: readonly Holiday[]; readonly source?: string; readonly checked?: string } };
  readonly flows: readonly Flow[];
  readonly flowDiagnostics: readonly Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A SHA-256 of the app's TypeScript sources (names and contents), read once per process. */
let codeKey: Promise<string> | undefined;

async function sourceFingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (at: string): Promise<void> => {
    const entries = (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.(ts|js|json)$/.test(entry.name)) hash.update(`${path.relative(dir, full)}\0`).update(await readFile(full)).update("\0");
    }
  };
  await walk(dir);
  return hash.digest("hex");
}

/** The key of content built from `texts` on `today`'s date with this code. */
export async function snapshotKey(texts: ContentTexts, options: LoadOptions = {}, sourceDir = SOURCE_DIR): Promise<string> {
  codeKey ??= sourceFingerprint(sourceDir);
  const hash = createHash("sha256").update(`${FORMAT}\0${await codeKey}\0${(options.today ?? new Date()).toISOString().slice(0, 10)}\0`);
  for (const [p, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${p}\0${text}\0`);
  return hash.digest("hex");
}

/** The built content of a snapshot, rebuilding what is not plain data. */
function restore(stored: Stored): Content {
  const { holidays, ...rest } = stored.knowledge;
  const knowledge: KnowledgeBase = {
    ...rest,
    ...(holidays ? { holidays: createHolidays(holidays.list, { ...(holidays.source !== undefined ? { source: holidays.source } : {}), ...(holidays.checked !== undefined ? { checked: holidays.checked } : {}) }) } : {}),
  };
  return { knowledge, flows: new FlowSet(stored.flows, stored.flowDiagnostics), diagnostics: stored.diagnostics };
}

/** The snapshot's plain data. */
function store(key: string, content: Content): Stored {
  const { holidays, ...rest } = content.knowledge;
  return {
    format: FORMAT,
    key,
    knowledge: {
      ...rest,
      ...(holidays ? { holidays: { list: holidays.list, ...(holidays.source !== undefined ? { source: holidays.source } : {}), ...(holidays.checked !== undefined ? { checked: holidays.checked } : {}) } } : {}),
    },
    flows: content.flows.all,
    flowDiagnostics: content.flows.diagnostics,
    diagnostics: content.diagnostics,
  };
}

/** Where built content is kept between starts, and how it is built when it is not there. */
export class ContentSnapshot {
  readonly #file: string;
  readonly #build: typeof buildContent;
  #written: string | undefined;

  /** `file`: the snapshot's path; `build` is replaceable for tests. */
  constructor(file: string, build: typeof buildContent = buildContent) {
    this.#file = file;
    this.#build = build;
  }

  /** The content of `texts`: read from the snapshot when it holds them, otherwise built. */
  async build(texts: ContentTexts, options: LoadOptions = {}): Promise<Content> {
    const key = await snapshotKey(texts, options);
    const stored = await this.#read(key);
    if (stored) {
      this.#written = key;
      return stored;
    }
    return this.#build(texts, options);
  }

  /** Keeps `content` (built from `texts`) for the next start, unless it is already kept or has errors. Never throws. */
  async save(texts: ContentTexts, content: Content, options: LoadOptions = {}): Promise<void> {
    try {
      if (content.diagnostics.some((d) => d.severity === "error")) return;
      const key = await snapshotKey(texts, options);
      if (this.#written === key) return;
      const temporary = `${this.#file}.${String(process.pid)}.tmp`;
      await writeFile(temporary, serialize(store(key, content)));
      await rename(temporary, this.#file);
      this.#written = key;
    } catch {
      // A read-only or full disk: the next start builds the content again.
    }
  }

  async #read(key: string): Promise<Content | undefined> {
    try {
      const stored = deserialize(await readFile(this.#file)) as Partial<Stored> | null;
      if (stored?.format !== FORMAT || stored.key !== key) return undefined;
      return restore(stored as Stored);
    } catch {
      return undefined;
    }
  }
}
