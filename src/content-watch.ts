/**
 * Hot reload of the editors' content: when a file under `knowledge/` or `flows/` changes, the
 * content is loaded and checked again; if it passes, the running app switches to it (sessions
 * are untouched: flows resume by version), otherwise the last good version keeps serving and the
 * problems (`file:line: message`) are logged and shown in the console.
 * @module
 */
import { watch, type FSWatcher } from "node:fs";
import { loadContent, type Content } from "./content.js";
import { formatDiagnostic } from "./knowledge/diagnostics.js";
import type { Logger } from "./log.js";

/** What the console shows about the content. */
export interface ContentStatus {
  /** False when the last edit failed the check (the previous version is still serving). */
  readonly ok: boolean;
  /** When the serving version was loaded. */
  readonly loadedAt: string;
  /** When the files were last checked. */
  readonly checkedAt: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** Options for {@link ContentReloader}. */
export interface ReloaderOptions {
  readonly knowledgeDir: string;
  readonly flowsDir: string;
  readonly log: Logger;
  /** Called with content that passed the check. */
  readonly onLoad: (content: Content) => void;
  /** Wait this long after the last change before reloading (editors save several files). @default 200 */
  readonly debounceMs?: number;
}

/** Watches the content folders and reloads on change. */
export class ContentReloader {
  #status: ContentStatus;
  readonly #options: ReloaderOptions;
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ContentStatus> | undefined;
  #again = false;

  constructor(options: ReloaderOptions, initial: Content) {
    this.#options = options;
    const now = new Date().toISOString();
    this.#status = { ok: true, loadedAt: now, checkedAt: now, errors: [], warnings: initial.diagnostics.filter((d) => d.severity === "warning").map(formatDiagnostic) };
  }

  /** The current status. */
  get status(): ContentStatus {
    return this.#status;
  }

  /** Starts watching both folders (recursively). */
  start(): void {
    for (const dir of [this.#options.knowledgeDir, this.#options.flowsDir]) {
      try {
        const watcher = watch(dir, { recursive: true }, () => this.#schedule());
        watcher.on("error", (error) => this.#options.log.warn("content watcher failed", { dir, error }));
        this.#watchers.push(watcher);
      } catch (error) {
        this.#options.log.warn("cannot watch content folder; edits need a restart", { dir, error });
      }
    }
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#watchers.splice(0)) w.close();
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), this.#options.debounceMs ?? 200);
    this.#timer.unref?.();
  }

  /** Loads and checks the content now; switches to it when it passes. */
  async reload(): Promise<ContentStatus> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#load().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.reload();
      }
    });
    return this.#running;
  }

  async #load(): Promise<ContentStatus> {
    const { knowledgeDir, flowsDir, log, onLoad } = this.#options;
    const now = new Date().toISOString();
    try {
      const content = await loadContent(knowledgeDir, flowsDir);
      const errors = content.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
      const warnings = content.diagnostics.filter((d) => d.severity === "warning").map(formatDiagnostic);
      if (errors.length > 0) {
        for (const e of errors) log.error(`content not reloaded: ${e}`);
        log.warn("the last good content keeps serving until the errors above are fixed");
        this.#status = { ...this.#status, ok: false, checkedAt: now, errors, warnings };
        return this.#status;
      }
      onLoad(content);
      this.#status = { ok: true, loadedAt: now, checkedAt: now, errors: [], warnings };
      log.info(`content reloaded: ${content.knowledge.ids.length} guides, ${content.flows.all.length} flows`);
    } catch (error) {
      log.error("content reload failed", { error });
      this.#status = { ...this.#status, ok: false, checkedAt: now, errors: [error instanceof Error ? error.message : String(error)] };
    }
    return this.#status;
  }
}
