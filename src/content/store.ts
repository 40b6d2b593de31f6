/**
 * The content store: every guide, flow, `centres.yaml` and `holidays.yaml` kept as revisions in
 * the database, in the files' own text formats. A path's latest revision is the published one
 * (text `null`: deleted). Every change runs the full check on the whole content with the change
 * applied, under one lock, so that two editors publishing at once cannot produce content that fails
 * the check; a change based on an older revision is refused (`stale_revision`).
 *
 * The repository's `knowledge/` and `flows/` folders are imported with
 * {@link ContentStore.importRepository}: a path is imported when the database has none, or when
 * the repository's text changed since its last import and nobody published the path since.
 * When an editor did publish since, the repository's version is kept aside as a review notice
 * (logged, and shown in the console), never silently overwriting the editor's revision.
 *
 * Every publish is announced on {@link CONTENT_TOPIC} after commit, so that every instance loads
 * the new content (LISTEN/NOTIFY on a server, in process on PGlite).
 * @module
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { Content } from "../content.js";
import { ContentEditError, type ContentProblem } from "../core/errors.js";
import { formatDiagnostic, type Diagnostic } from "../knowledge/diagnostics.js";
import type { LoadOptions } from "../knowledge/load.js";
import type { Notifier } from "../store/notifier.js";
import { withTransaction, type Queryable } from "../store/transaction.js";
import { buildContent, newErrors, parseContentPath } from "./texts.js";
import { onlyRow } from "../store/rows.js";

/** The notifier topic announcing a publish (payload `{ revision }`). */
export const CONTENT_TOPIC = "content";

/** Serialises content changes across instances. */
const LOCK_ID = 7_420_390;

/** Where a revision came from. */
export type RevisionSource = "repository" | "editor" | "restore" | "teach" | "import";

/** Who made a change. */
export interface Author {
  /** The staff member's id (absent for the repository and the command line). */
  readonly staffId?: number;
  /** Shown in the history: the staff member's name, "repository" or "command line". */
  readonly name: string;
}

/** One revision of one path. */
export interface Revision {
  readonly id: number;
  readonly path: string;
  /** The text; null when this revision deleted the path. */
  readonly text: string | null;
  readonly source: RevisionSource;
  readonly author: string;
  readonly staffId: number | null;
  readonly note: string | null;
  readonly createdAt: string;
}

/** One change of a publish. */
export interface Change {
  readonly path: string;
  /** The new text, or null to delete the path. */
  readonly text: string | null;
  /** The revision the editor started from (null: the path did not exist); undefined skips the check. */
  readonly baseRevision?: number | null;
}

/** Options of {@link ContentStore.publish}. */
export interface PublishOptions {
  readonly author: Author;
  readonly source: RevisionSource;
  readonly note?: string;
}

/** What a publish did. */
export interface PublishResult {
  /** The new revisions (a change that leaves the text as it is keeps its revision). */
  readonly revisions: readonly Revision[];
  /** Warnings of the check in the changed paths (they do not block a publish). */
  readonly warnings: readonly ContentProblem[];
}

/** A newer repository version of a path that an editor changed since: to review in the console. */
export interface RepositoryNotice {
  readonly path: string;
  /** The repository's text. */
  readonly text: string;
  readonly since: string;
  /** The published revision it did not overwrite. */
  readonly publishedRevision: number | null;
}

/** What an import of the repository did. */
export interface ImportReport {
  readonly imported: readonly string[];
  /** Paths whose repository version was kept aside because an editor published since. */
  readonly notices: readonly string[];
  /** Errors that refused the import (nothing was imported). */
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

interface RevisionRow {
  id: string;
  path: string;
  text: string | null;
  source: RevisionSource;
  author: string;
  staff_id: string | null;
  note: string | null;
  created_at: Date;
}

const toRevision = (r: RevisionRow): Revision => ({
  id: Number(r.id), path: r.path, text: r.text, source: r.source, author: r.author,
  staffId: r.staff_id === null ? null : Number(r.staff_id), note: r.note, createdAt: r.created_at.toISOString(),
});

const hash = (text: string): string => createHash("sha256").update(text).digest("hex");

const problems = (ds: readonly Diagnostic[]): ContentProblem[] => ds.map((d) => ({ file: d.file, line: d.line, message: d.message }));

const LATEST = `SELECT DISTINCT ON (path) id, path, text, source, author, staff_id, note, created_at
  FROM content_revisions ORDER BY path, id DESC`;

/** Revisions of the live content in the database. */
export class ContentStore {
  readonly #pool: pg.Pool;
  readonly #notifier: Notifier;
  readonly #options: LoadOptions;
  /** The check's findings for the content at a newest revision id (revisions are only added, so the id names the content). */
  #checked: { revision: number; diagnostics: readonly Diagnostic[]; content?: Content } | undefined;

  /** `options.today` fixes "today" for review-date rules (tests). */
  constructor(pool: pg.Pool, notifier: Notifier, options: LoadOptions = {}) {
    this.#pool = pool;
    this.#notifier = notifier;
    this.#options = options;
  }

  /** The latest revision of every path, deleted ones included. */
  async #latest(db: Queryable): Promise<Map<string, Revision>> {
    const { rows } = await db.query<RevisionRow>(LATEST);
    return new Map(rows.map((r) => [r.path, toRevision(r)]));
  }

  /** The check's findings for the content `latest` holds (cached by its newest revision). */
  #diagnosticsOf(latest: ReadonlyMap<string, Revision>, texts: ReadonlyMap<string, string>): readonly Diagnostic[] {
    const revision = Math.max(0, ...[...latest.values()].map((r) => r.id));
    if (this.#checked?.revision === revision) return this.#checked.diagnostics;
    const diagnostics = texts.size > 0 ? buildContent(texts, this.#options).diagnostics : [];
    this.#checked = { revision, diagnostics };
    return diagnostics;
  }

  /** The content this store last checked, when it is the content at `revision` (saves building it again). */
  checkedContent(revision: number): Content | undefined {
    return this.#checked?.revision === revision ? this.#checked.content : undefined;
  }

  /** The published texts by path (deleted paths left out) and the newest revision id. */
  async published(): Promise<{ texts: Map<string, string>; revisions: Map<string, Revision>; revision: number }> {
    const latest = await this.#latest(this.#pool);
    const texts = new Map<string, string>();
    const revisions = new Map<string, Revision>();
    let revision = 0;
    for (const [p, r] of latest) {
      revision = Math.max(revision, r.id);
      if (r.text === null) continue;
      texts.set(p, r.text);
      revisions.set(p, r);
    }
    return { texts, revisions, revision };
  }

  /** The newest revision id of all content (0 when there is none). */
  async newestRevision(): Promise<number> {
    const { rows } = await this.#pool.query<{ id: string | null }>("SELECT max(id) AS id FROM content_revisions");
    return Number(rows[0]?.id ?? 0);
  }

  /** The latest revision of a path (a deletion included), if any. */
  async latest(path: string): Promise<Revision | undefined> {
    const { rows } = await this.#pool.query<RevisionRow>("SELECT * FROM content_revisions WHERE path = $1 ORDER BY id DESC LIMIT 1", [path]);
    return rows[0] ? toRevision(rows[0]) : undefined;
  }

  /** One revision of a path. */
  async revision(path: string, id: number): Promise<Revision | undefined> {
    const { rows } = await this.#pool.query<RevisionRow>("SELECT * FROM content_revisions WHERE path = $1 AND id = $2", [path, id]);
    return rows[0] ? toRevision(rows[0]) : undefined;
  }

  /** A path's revisions, newest first. */
  async history(path: string, limit = 200): Promise<Revision[]> {
    const { rows } = await this.#pool.query<RevisionRow>("SELECT * FROM content_revisions WHERE path = $1 ORDER BY id DESC LIMIT $2", [path, limit]);
    return rows.map(toRevision);
  }

  /**
   * Publishes changes after the full check, in one transaction.
   * @throws {ContentEditError} `stale_revision` when a base revision is not the latest;
   *   `content_rejected` when the check finds errors (each with its file and line).
   */
  async publish(changes: readonly Change[], options: PublishOptions): Promise<PublishResult> {
    for (const c of changes) {
      if (!parseContentPath(c.path)) throw new ContentEditError("content_rejected", c.path, `'${c.path}' is not a content file`, { problems: [{ file: c.path, line: 1, message: "not a guide, flow, centres.yaml or holidays.yaml path" }] });
    }
    const result = await withTransaction(this.#pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
      const latest = await this.#latest(tx);
      for (const c of changes) {
        if (c.baseRevision === undefined) continue;
        const current = latest.get(c.path)?.id ?? null;
        if (current !== c.baseRevision) {
          throw new ContentEditError("stale_revision", c.path, `${c.path} was changed meanwhile (revision ${current ?? "none"}, the edit started from ${c.baseRevision ?? "none"})`, { current });
        }
      }
      const real = changes.filter((c) => (latest.get(c.path)?.text ?? null) !== c.text);
      if (real.length === 0) return { revisions: changes.flatMap((c) => latest.get(c.path) ?? []), warnings: [] };
      const before = new Map([...latest].flatMap(([p, r]) => (r.text === null ? [] : [[p, r.text] as const])));
      const after = new Map(before);
      for (const c of real) {
        if (c.text === null) after.delete(c.path);
        else after.set(c.path, c.text);
      }
      const changed = new Set(real.map((c) => c.path));
      const checked = buildContent(after, this.#options);
      const errors = newErrors(this.#diagnosticsOf(latest, before), checked.diagnostics, changed);
      if (errors.length > 0) {
        throw new ContentEditError("content_rejected", real[0]?.path ?? "", `The check found ${errors.length} error(s):\n${errors.map(formatDiagnostic).join("\n")}`, { problems: problems(errors) });
      }
      const revisions: Revision[] = [];
      for (const c of real) revisions.push(await this.#insert(tx, c.path, c.text, options));
      this.#checked = { revision: Math.max(...revisions.map((r) => r.id)), diagnostics: checked.diagnostics, content: checked };
      return { revisions, warnings: problems(checked.diagnostics.filter((d) => d.severity === "warning" && changed.has(d.file))), inserted: true };
    });
    if ("inserted" in result) await this.#announce(result.revisions);
    return { revisions: result.revisions, warnings: result.warnings };
  }

  async #insert(tx: Queryable, path: string, text: string | null, options: PublishOptions): Promise<Revision> {
    const { rows } = await tx.query<RevisionRow>(
      `INSERT INTO content_revisions (path, text, source, staff_id, author, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [path, text, options.source, options.author.staffId ?? null, options.author.name, options.note ?? null]);
    const revision = toRevision(onlyRow(rows, "INSERT INTO content_revisions … RETURNING"));
    await tx.query("INSERT INTO audit_log (staff_id, action, detail) VALUES ($1, $2, $3::jsonb)", [
      options.author.staffId ?? null, text === null ? "content-deleted" : `content-${options.source}`,
      JSON.stringify({ path, revision: revision.id, ...(options.note ? { note: options.note } : {}) }),
    ]);
    return revision;
  }

  /** Tells every instance (after commit, so that they read the new rows). */
  async #announce(revisions: readonly Revision[]): Promise<void> {
    if (revisions.length === 0) return;
    await this.#notifier.publish(CONTENT_TOPIC, { revision: Math.max(...revisions.map((r) => r.id)) });
  }

  /**
   * Imports the repository's content texts (see the module notes). Nothing is imported when the
   * result would fail the check; the errors are returned.
   */
  async importRepository(files: ReadonlyMap<string, string>): Promise<ImportReport> {
    const result = await withTransaction(this.#pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
      const latest = await this.#latest(tx);
      const { rows } = await tx.query<{ path: string; hash: string; revision_id: string | null; pending_hash: string | null }>("SELECT path, hash, revision_id, pending_hash FROM content_repository");
      const repo = new Map(rows.map((r) => [r.path, r]));
      const imports: { path: string; text: string; hash: string }[] = [];
      const same: { path: string; hash: string; revision: number }[] = [];
      const notices: { path: string; text: string; hash: string }[] = [];
      for (const [p, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        if (!parseContentPath(p)) continue;
        const h = hash(text);
        const record = repo.get(p);
        const current = latest.get(p);
        if (record?.hash === h) {
          if (record.pending_hash !== null) same.push({ path: p, hash: h, revision: Number(record.revision_id ?? 0) });
          continue;
        }
        if (!current) imports.push({ path: p, text, hash: h });
        else if (current.text === text) same.push({ path: p, hash: h, revision: current.id });
        else if (record && Number(record.revision_id) === current.id) imports.push({ path: p, text, hash: h });
        else if (record?.pending_hash !== h) notices.push({ path: p, text, hash: h });
      }
      const before = new Map([...latest].flatMap(([p, r]) => (r.text === null ? [] : [[p, r.text] as const])));
      const after = new Map(before);
      for (const i of imports) after.set(i.path, i.text);
      const checked = imports.length > 0 ? buildContent(after, this.#options) : undefined;
      const changed = new Set(imports.map((i) => i.path));
      const errors = checked ? newErrors(this.#diagnosticsOf(latest, before), checked.diagnostics, changed) : [];
      if (errors.length > 0) return { imported: [], notices: [], errors, warnings: [] as Diagnostic[], revisions: [] as Revision[] };
      const revisions: Revision[] = [];
      for (const i of imports) {
        const revision = await this.#insert(tx, i.path, i.text, { source: "repository", author: { name: "repository" } });
        revisions.push(revision);
        if (checked) this.#checked = { revision: revision.id, diagnostics: checked.diagnostics, content: checked };
        await tx.query(
          `INSERT INTO content_repository (path, hash, revision_id, imported_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (path) DO UPDATE SET hash = $2, revision_id = $3, imported_at = now(), pending_hash = NULL, pending_text = NULL, pending_since = NULL`,
          [i.path, i.hash, revision.id]);
      }
      for (const s of same) {
        await tx.query(
          `INSERT INTO content_repository (path, hash, revision_id, imported_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (path) DO UPDATE SET hash = $2, revision_id = $3, imported_at = now(), pending_hash = NULL, pending_text = NULL, pending_since = NULL`,
          [s.path, s.hash, s.revision]);
      }
      for (const n of notices) {
        await tx.query(
          `INSERT INTO content_repository (path, hash, revision_id, imported_at, pending_hash, pending_text, pending_since) VALUES ($1, '', NULL, now(), $2, $3, now())
           ON CONFLICT (path) DO UPDATE SET pending_hash = $2, pending_text = $3, pending_since = now()`,
          [n.path, n.hash, n.text]);
      }
      const warnings = checked ? checked.diagnostics.filter((d) => d.severity === "warning" && changed.has(d.file)) : [];
      return { imported: imports.map((i) => i.path), notices: notices.map((n) => n.path), errors: [] as Diagnostic[], warnings, revisions };
    });
    await this.#announce(result.revisions);
    return { imported: result.imported, notices: result.notices, errors: result.errors, warnings: result.warnings };
  }

  /** Newer repository versions kept aside because an editor published since (to review). */
  async notices(): Promise<RepositoryNotice[]> {
    const { rows } = await this.#pool.query<{ path: string; pending_text: string; pending_since: Date }>(
      "SELECT path, pending_text, pending_since FROM content_repository WHERE pending_hash IS NOT NULL ORDER BY path");
    const latest = await this.#latest(this.#pool);
    return rows.map((r) => ({ path: r.path, text: r.pending_text, since: r.pending_since.toISOString(), publishedRevision: latest.get(r.path)?.id ?? null }));
  }

  /**
   * Settles a review notice: `accept` publishes the repository's version (checked like any edit);
   * `keep` keeps the editor's revision (the repository's version counts as imported).
   */
  async resolveNotice(path: string, decision: "accept" | "keep", author: Author): Promise<Revision | undefined> {
    const { rows } = await this.#pool.query<{ pending_hash: string; pending_text: string }>("SELECT pending_hash, pending_text FROM content_repository WHERE path = $1 AND pending_hash IS NOT NULL", [path]);
    const notice = rows[0];
    if (!notice) return undefined;
    let revision: Revision | undefined;
    if (decision === "accept") {
      revision = (await this.publish([{ path, text: notice.pending_text }], { author, source: "repository", note: "repository version accepted" })).revisions[0];
    } else {
      revision = await this.latest(path);
      await this.#pool.query("INSERT INTO audit_log (staff_id, action, detail) VALUES ($1, 'content-repository-kept', $2::jsonb)", [author.staffId ?? null, JSON.stringify({ path })]);
    }
    await this.#pool.query(
      "UPDATE content_repository SET hash = pending_hash, revision_id = $2, imported_at = now(), pending_hash = NULL, pending_text = NULL, pending_since = NULL WHERE path = $1",
      [path, revision?.id ?? null]);
    // Every instance re-reads its list of reviews (a "keep" publishes nothing, and an accept's
    // publish was announced before the notice was settled).
    await this.#notifier.publish(CONTENT_TOPIC, { revision: revision?.id ?? 0 });
    return revision;
  }
}
