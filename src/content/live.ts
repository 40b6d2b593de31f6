/**
 * The content an instance serves: the published revisions in the database, loaded at start and
 * again whenever a publish is announced ({@link CONTENT_TOPIC}; LISTEN/NOTIFY between instances,
 * in process on PGlite), after a lost notification connection comes back, and every
 * {@link SAFETY_POLL_MS} as a safety net. In development the repository folders are watched too:
 * a saved file is imported as a new revision (see {@link ContentStore.importRepository}), so files
 * and console edits share one history.
 * @module
 */
import { watch, type FSWatcher } from "node:fs";
import type { Content } from "../content.js";
import type { ContentStatus } from "../content-watch.js";
import { ContentError } from "../core/errors.js";
import { formatDiagnostic, type Diagnostic } from "../knowledge/diagnostics.js";
import type { LoadOptions } from "../knowledge/load.js";
import type { Logger } from "../log.js";
import type { Notifier } from "../store/notifier.js";
import { OutOfScope, type Dismissal } from "./out-of-scope.js";
import type { ContentSnapshot } from "./snapshot.js";
import { CONTENT_TOPIC, type ContentStore, type RepositoryNotice } from "./store.js";
import { buildContent, readContentDirs } from "./texts.js";
import type pg from "pg";

/** How often an instance checks for a publish it may have missed. */
export const SAFETY_POLL_MS = 15_000;

/** What the console shows about the content: the check, the serving revision, reviews. */
export interface LiveStatus extends ContentStatus {
  /** The newest revision the instance serves. */
  readonly revision: number;
  /** Newer repository versions not imported because an editor published since. */
  readonly reviews: readonly { readonly path: string; readonly since: string; readonly publishedRevision: number | null }[];
}

/** Options of {@link LiveContent.start}. */
export interface LiveOptions {
  readonly store: ContentStore;
  readonly pool: pg.Pool;
  readonly notifier: Notifier;
  readonly log: Logger;
  /** The repository's folders, imported at start and watched. */
  readonly knowledgeDir: string;
  readonly flowsDir: string;
  /** Watch the folders and import saved files (development hot reload). @default true */
  readonly watch?: boolean;
  /** Called with each new content that passed the check, and the out-of-scope questions. */
  readonly onLoad: (content: Content, outOfScope: OutOfScope) => void;
  readonly load?: LoadOptions;
  /** Wait this long after the last file change before importing. @default 200 */
  readonly debounceMs?: number;
  /** Keeps the built content between starts (the embedded database's folder); without it every start builds. */
  readonly snapshot?: ContentSnapshot;
}

/** The serving content of one instance. */
export class LiveContent {
  readonly #o: LiveOptions;
  #revision = 0;
  #content: Content | undefined;
  #outOfScope = new OutOfScope([]);
  #status: LiveStatus;
  #importErrors: string[] = [];
  #reviews: RepositoryNotice[] = [];
  readonly #watchers: FSWatcher[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #loading: Promise<void> | undefined;
  #again = false;
  #importing: Promise<LiveStatus> | undefined;
  #importAgain = false;
  #saving: Promise<void> | undefined;
  #stopped = false;

  private constructor(options: LiveOptions) {
    this.#o = options;
    const now = new Date().toISOString();
    this.#status = { ok: true, loadedAt: now, checkedAt: now, errors: [], warnings: [], revision: 0, reviews: [] };
  }

  /**
   * Imports the repository, loads the published content and starts following publishes.
   * @throws {ContentError} when there is no published content and the repository's fails the check.
   */
  static async start(options: LiveOptions): Promise<LiveContent> {
    const live = new LiveContent(options);
    const report = await live.#import();
    await live.reload();
    if (!live.#content) {
      throw new ContentError(report.errors.length > 0 ? report.errors.map(formatDiagnostic) : ["no content: the database has none and the repository folders are empty"]);
    }
    live.#unsubscribe.push(options.notifier.subscribe(CONTENT_TOPIC, () => void live.reload()));
    live.#unsubscribe.push(options.notifier.onReconnect(() => void live.reload()));
    live.#poll = setInterval(() => {
      options.store.newestRevision().then((r) => (r !== live.#revision ? live.reload() : undefined)).catch(() => undefined);
    }, SAFETY_POLL_MS);
    live.#poll.unref();
    if (options.watch !== false) live.#watch();
    return live;
  }

  /** The serving content. */
  get content(): Content {
    // Set before start() returns (it throws when there is no content).
    if (!this.#content) throw new ContentError(["no content is loaded"]);
    return this.#content;
  }

  /** The questions editors marked as out of scope. */
  get outOfScope(): OutOfScope {
    return this.#outOfScope;
  }

  /** The status for the console. */
  get status(): LiveStatus {
    return this.#status;
  }

  /** The newest revision served. */
  get revision(): number {
    return this.#revision;
  }

  /**
   * Loads the published content from the database now (coalesces concurrent calls). Resolves once
   * a load that began after this call has finished, so that it saw every change made before it.
   */
  async reload(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      // The load under way may have read before the caller's change; the next one has not.
      return this.#loading.then(() => this.#loading);
    }
    this.#loading = this.#load().finally(() => {
      this.#loading = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.reload();
      }
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    const { log } = this.#o;
    try {
      const [published, dismissals, reviews] = await Promise.all([this.#o.store.published(), loadDismissals(this.#o.pool), this.#o.store.notices()]);
      this.#reviews = reviews;
      const outOfScope = new OutOfScope(dismissals);
      const scopeChanged = outOfScope.key !== this.#outOfScope.key;
      if (published.revision === this.#revision && this.#content && !scopeChanged) {
        this.#setStatus(this.#content.diagnostics);
        return;
      }
      if (published.texts.size === 0) return;
      const { snapshot } = this.#o;
      const content = this.#o.store.checkedContent(published.revision)
        ?? (snapshot ? await snapshot.build(published.texts, this.#o.load) : buildContent(published.texts, this.#o.load));
      const errors = content.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0 && this.#content) {
        // Published content always passed the check; a rule that depends on the date can change that.
        for (const e of errors) log.warn(`published content: ${formatDiagnostic(e)}`);
      }
      this.#content = content;
      this.#outOfScope = outOfScope;
      this.#revision = published.revision;
      this.#o.onLoad(content, outOfScope);
      this.#setStatus(content.diagnostics, new Date().toISOString());
      log.info(`content revision ${published.revision}: ${content.knowledge.ids.length} guides, ${content.flows.all.length} flows`);
      // Written after the content serves: the first answer does not wait for the disk.
      if (snapshot) this.#saving = Promise.all([this.#saving, snapshot.save(published.texts, content, this.#o.load)]).then(() => undefined);
    } catch (error) {
      log.error("could not load the published content; the previous version keeps serving", { error });
    }
  }

  #setStatus(diagnostics: readonly Diagnostic[], loadedAt = this.#status.loadedAt): void {
    this.#status = {
      ok: this.#importErrors.length === 0,
      loadedAt,
      checkedAt: new Date().toISOString(),
      errors: this.#importErrors,
      warnings: diagnostics.filter((d) => d.severity === "warning").map(formatDiagnostic),
      revision: this.#revision,
      reviews: this.#reviews.map((r) => ({ path: r.path, since: r.since, publishedRevision: r.publishedRevision })),
    };
  }

  /** Imports the repository folders now (what a saved file triggers); returns the status after. */
  async importFiles(): Promise<LiveStatus> {
    if (this.#importing) {
      this.#importAgain = true;
      return this.#importing;
    }
    this.#importing = this.#import().then(async () => {
      await this.reload();
      return this.#status;
    }).finally(() => {
      this.#importing = undefined;
      if (this.#importAgain && !this.#stopped) {
        this.#importAgain = false;
        void this.importFiles();
      }
    });
    return this.#importing;
  }

  async #import(): Promise<{ errors: readonly Diagnostic[] }> {
    const { log, store } = this.#o;
    try {
      const files = await readContentDirs(this.#o.knowledgeDir, this.#o.flowsDir);
      const report = await store.importRepository(files);
      this.#importErrors = report.errors.map(formatDiagnostic);
      if (report.errors.length > 0) {
        for (const e of this.#importErrors) log.error(`repository content not imported: ${e}`);
        log.warn("the published content keeps serving until the errors above are fixed");
      }
      for (const w of report.warnings) log.warn(formatDiagnostic(w));
      if (report.imported.length > 0) log.info(`imported ${report.imported.length} content file(s) from the repository`);
      for (const p of report.notices) {
        log.warn(`the repository has a newer version of ${p}, but an editor published a newer revision: review it in the console (Instrukcijas); the editor's revision keeps serving`);
      }
      return report;
    } catch (error) {
      log.error("repository content import failed", { error });
      this.#importErrors = [error instanceof Error ? error.message : String(error)];
      return { errors: [] };
    }
  }

  #watch(): void {
    for (const dir of [this.#o.knowledgeDir, this.#o.flowsDir]) {
      try {
        const watcher = watch(dir, { recursive: true }, () => this.#schedule());
        watcher.on("error", (error) => this.#o.log.warn("content watcher failed", { dir, error }));
        this.#watchers.push(watcher);
      } catch (error) {
        this.#o.log.warn("cannot watch content folder; file edits need a restart", { dir, error });
      }
    }
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.importFiles(), this.#o.debounceMs ?? 200);
    this.#timer.unref();
  }

  /** Stops following publishes and files; waits for a running load or import. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#poll) clearInterval(this.#poll);
    for (const w of this.#watchers.splice(0)) w.close();
    for (const u of this.#unsubscribe.splice(0)) u();
    await Promise.allSettled([this.#loading, this.#importing]);
    await this.#saving;
  }
}

/** The open out-of-scope marks. */
async function loadDismissals(pool: pg.Pool): Promise<Dismissal[]> {
  const { rows } = await pool.query<{ question: string; lang: string }>(
    "SELECT question, lang FROM content_unanswered WHERE action = 'dismiss' AND undone_at IS NULL ORDER BY id");
  return rows;
}
