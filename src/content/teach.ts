/**
 * "Teach the bot" and "out of scope" from the unanswered report: a wording added to a guide's
 * example questions (`questions:` front matter, in its language) as a new published revision, or
 * a question marked as out of scope; and the list of what editors handled, with whether the bot
 * now answers it.
 * @module
 */
import type pg from "pg";
import { ContentEditError } from "../core/errors.js";
import { LANGS, type Lang } from "../core/types.js";
import type { Notifier } from "../store/notifier.js";
import { storedWording } from "./missing-guides.js";
import { CONTENT_TOPIC, type Author, type ContentStore, type Revision } from "./store.js";
import { contentPath } from "./texts.js";
import { onlyRow } from "../store/rows.js";

/**
 * The guide text with `question` added to its `questions:` list (or another list of the front
 * matter, `field`: `questions_ru:` …) — a YAML double-quoted item at the list's end; the list is
 * created before the closing `---` when the front matter has none. Returns the text unchanged
 * when the list already holds the wording (ignoring case and spaces).
 */
export function addExampleQuestion(text: string, question: string, field = "questions"): string {
  const wording = question.replace(/\s+/g, " ").trim();
  const lines = text.split("\n");
  if (lines[0]?.trim() !== "---") throw new ContentEditError("content_rejected", "", "the guide has no front matter", { problems: [{ file: "", line: 1, message: "the guide does not start with '---'" }] });
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) throw new ContentEditError("content_rejected", "", "the guide's front matter is not closed", { problems: [{ file: "", line: 1, message: "no closing '---'" }] });
  const item = `  - ${JSON.stringify(wording)}`;
  const start = lines.findIndex((l, i) => i > 0 && i < end && new RegExp(`^${field}:\\s*(\\[\\s*\\])?\\s*$`).test(l));
  if (start < 0) {
    lines.splice(end, 0, `${field}:`, item);
    return lines.join("\n");
  }
  if (/\[\s*\]/.test(lines[start] ?? "")) {
    lines.splice(start, 1, `${field}:`, item);
    return lines.join("\n");
  }
  let last = start;
  const norm = (s: string): string => s.replace(/\s+/g, " ").trim().toLowerCase();
  for (const [i, line] of lines.entries()) {
    if (i <= start) continue;
    if (i >= end) break;
    if (/^\s+-\s/.test(line) || (/^\s+\S/.test(line) && last > start)) {
      last = i;
      const value = line.replace(/^\s+-\s+/, "").trim();
      const unquoted = /^".*"$/.test(value) ? (() => {
        try {
          return JSON.parse(value) as string;
        } catch {
          return value.slice(1, -1);
        }
      })() : value.replace(/^'(.*)'$/, "$1");
      if (norm(unquoted) === norm(wording)) return text;
    } else if (line.trim() !== "") break;
  }
  const indent = /^(\s+)-/.exec(lines[start + 1] ?? "")?.[1] ?? "  ";
  lines.splice(last + 1, 0, `${indent}- ${JSON.stringify(wording)}`);
  return lines.join("\n");
}

const LANGUAGE_NAMES: Record<Lang, string> = { lv: "Latvian", ru: "Russian", en: "English" };

/**
 * Why a question in `lang` cannot be taught to guide `id` and what to do: the guide does not exist,
 * or it has no text in `lang` nor a Latvian one that residents writing `lang` would get instead.
 */
export function untaughtMessage(id: string, lang: Lang, has: readonly Lang[]): string {
  if (has.length === 0) return `There is no guide '${id}'. Choose another guide, or put the question on the list of missing guides.`;
  const name = LANGUAGE_NAMES[lang];
  if (lang === "lv") {
    return `Guide '${id}' has no Latvian version (it is only in ${has.map((l) => LANGUAGE_NAMES[l]).join(" and ")}). `
      + "Add its Latvian translation first (Instrukcijas → Pievienot tulkojumu), then attach the question again; or choose another guide.";
  }
  return `Guide '${id}' has no ${name} version, and no Latvian one that residents writing ${name} would get instead (it is only in ${has.map((l) => LANGUAGE_NAMES[l]).join(" and ")}). `
    + `Add its ${name} translation first (Instrukcijas → Pievienot tulkojumu), then attach the question again; or choose another guide.`;
}

/** One handled group of the unanswered report: taught to a guide, or marked out of scope. */
export interface Handled {
  readonly id: number;
  readonly question: string;
  readonly lang: string;
  readonly action: "teach" | "dismiss";
  readonly guideId: string | null;
  readonly revision: number | null;
  readonly by: string;
  readonly at: string;
}

/** Teaching and dismissing unanswered questions. */
export class Teacher {
  constructor(private readonly pool: pg.Pool, private readonly store: ContentStore, private readonly notifier: Notifier) {}

  /**
   * Adds `question` to the example questions of guide `guideId` in `lang`, publishes it, and
   * records the group as handled (an earlier out-of-scope mark of the same wording is undone).
   * Personal data and contacts in the wording are masked first.
   *
   * When the guide has no translation in `lang` yet, residents writing `lang` get its Latvian text
   * (with a note): the question then goes to that text's `questions_<lang>:` list, where it is
   * found for them now and from where the translation takes it when it is started
   * (`waitingFor` says so).
   * @throws {ContentEditError} when the guide does not exist in `lang` nor in Latvian, or the result fails the check.
   */
  async teach(wording: string, lang: Lang, guideId: string, author: Author): Promise<{ revision: Revision; changed: boolean; waitingFor?: Lang }> {
    const question = storedWording(wording);
    const path = contentPath({ kind: "guide", lang, id: guideId });
    let target = { path, latest: await this.store.latest(path), field: "questions" };
    if (target.latest?.text == null && lang !== "lv") {
      const latvian = contentPath({ kind: "guide", lang: "lv", id: guideId });
      target = { path: latvian, latest: await this.store.latest(latvian), field: `questions_${lang}` };
    }
    const { latest } = target;
    if (latest?.text == null) {
      throw new ContentEditError("content_rejected", path, untaughtMessage(guideId, lang, await this.#languagesOf(guideId)), { problems: [{ file: path, line: 1, message: `no guide '${guideId}' in '${lang}'` }] });
    }
    const text = addExampleQuestion(latest.text, question, target.field);
    const note = target.field === "questions" ? `example question: ${question}` : `example question in '${lang}', waiting for the translation: ${question}`;
    const { revisions } = await this.store.publish([{ path: target.path, text, baseRevision: latest.id }], { author, source: "teach", note });
    const revision = onlyRow(revisions, "publishing the taught guide");
    await this.pool.query("UPDATE content_unanswered SET undone_at = now() WHERE action = 'dismiss' AND undone_at IS NULL AND lang = $1 AND lower(question) = lower($2)", [lang, question]);
    await this.pool.query(
      "INSERT INTO content_unanswered (question, lang, action, guide_id, revision_id, staff_id, author) VALUES ($1, $2, 'teach', $3, $4, $5, $6)",
      [question, lang, guideId, revision.id, author.staffId ?? null, author.name]);
    return { revision, changed: text !== latest.text, ...(target.path !== path ? { waitingFor: lang } : {}) };
  }

  /** The languages guide `id` is published in. */
  async #languagesOf(id: string): Promise<Lang[]> {
    const found = await Promise.all(LANGS.map(async (l) => ((await this.store.latest(contentPath({ kind: "guide", lang: l, id })))?.text == null ? [] : [l])));
    return found.flat();
  }

  /** Marks `wording` as out of scope (masked): similar questions get the honest fallback; every instance is told. */
  async dismiss(wording: string, lang: Lang, author: Author): Promise<Handled> {
    const question = storedWording(wording);
    const { rows } = await this.pool.query<{ id: string; created_at: Date }>(
      "INSERT INTO content_unanswered (question, lang, action, staff_id, author) VALUES ($1, $2, 'dismiss', $3, $4) RETURNING id, created_at",
      [question, lang, author.staffId ?? null, author.name]);
    await this.pool.query("INSERT INTO audit_log (staff_id, action, detail) VALUES ($1, 'content-dismissed', $2::jsonb)", [author.staffId ?? null, JSON.stringify({ question, lang })]);
    const row = onlyRow(rows, "INSERT INTO content_unanswered … RETURNING");
    await this.notifier.publish(CONTENT_TOPIC, { dismissed: Number(row.id) });
    return { id: Number(row.id), question, lang, action: "dismiss", guideId: null, revision: null, by: author.name, at: row.created_at.toISOString() };
  }

  /** The handled groups, newest first (undone marks left out). */
  async handled(limit = 500): Promise<Handled[]> {
    const { rows } = await this.pool.query<{ id: string; question: string; lang: string; action: "teach" | "dismiss"; guide_id: string | null; revision_id: string | null; author: string; created_at: Date }>(
      "SELECT id, question, lang, action, guide_id, revision_id, author, created_at FROM content_unanswered WHERE undone_at IS NULL ORDER BY id DESC LIMIT $1", [limit]);
    return rows.map((r) => ({
      id: Number(r.id), question: r.question, lang: r.lang, action: r.action, guideId: r.guide_id,
      revision: r.revision_id === null ? null : Number(r.revision_id), by: r.author, at: r.created_at.toISOString(),
    }));
  }
}
