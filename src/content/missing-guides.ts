/**
 * "Vajag jaunu instrukciju": the to-do list of missing guides. An editor puts a group of the
 * unanswered report on it with the group's example questions; the item stays open until an
 * editor marks it done with the guide that now covers it, or removes it. Every change is written
 * to the audit log (`content-guide-needed`, `content-guide-needed-done`,
 * `content-guide-needed-removed`). The wordings are residents' words: personal codes, IBANs,
 * cards, phone numbers and e-mail addresses are masked before they are stored.
 * @module
 */
import type pg from "pg";
import { maskContacts, maskPersonalData } from "../core/privacy.js";
import { onlyRow } from "../store/rows.js";
import type { Author } from "./store.js";

/** At most this many example questions are kept per item. */
export const MAX_EXAMPLES = 10;

/** One item of the to-do list. */
export interface MissingGuide {
  readonly id: number;
  /** The group's wording (its most frequent question). */
  readonly question: string;
  readonly lang: string;
  /** The group's example questions (the wording first), distinct, at most {@link MAX_EXAMPLES}. */
  readonly examples: readonly string[];
  /** How many times residents asked it in the report's period when it was put on the list. */
  readonly asked: number;
  readonly by: string;
  readonly at: string;
  /** Set once an editor marked it done. */
  readonly done: { readonly guideId: string; readonly by: string; readonly at: string } | null;
}

/** A wording as stored: personal data and contacts masked, spaces collapsed. */
export function storedWording(text: string): string {
  return maskContacts(maskPersonalData(text)).replace(/\s+/g, " ").trim();
}

interface Row {
  id: string; question: string; lang: string; examples: unknown; asked: number; author: string; created_at: Date;
  done_at: Date | null; done_guide_id: string | null; done_by: string | null;
}
const COLUMNS = "id, question, lang, examples, asked, author, created_at, done_at, done_guide_id, done_by";

const toItem = (r: Row): MissingGuide => ({
  id: Number(r.id), question: r.question, lang: r.lang,
  examples: Array.isArray(r.examples) ? r.examples.filter((e): e is string => typeof e === "string") : [],
  asked: r.asked, by: r.author, at: r.created_at.toISOString(),
  done: r.done_at && r.done_guide_id ? { guideId: r.done_guide_id, by: r.done_by ?? "", at: r.done_at.toISOString() } : null,
});

/** Distinct wordings (ignoring case and spaces), `first` first, at most {@link MAX_EXAMPLES}. */
function distinct(first: string, more: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of [first, ...more].map(storedWording)) {
    const key = w.toLowerCase();
    if (!w || seen.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out.slice(0, MAX_EXAMPLES);
}

/** The to-do list of missing guides, in the database. */
export class MissingGuides {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Puts a group on the list. When an open item with the same wording and language is there
   * already, its examples get the new ones and it is returned (`created: false`).
   */
  async add(group: { question: string; lang: string; examples?: readonly string[]; asked?: number }, author: Author): Promise<{ item: MissingGuide; created: boolean }> {
    const question = storedWording(group.question);
    const { rows: open } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM content_missing_guides WHERE done_at IS NULL AND lang = $1 AND lower(question) = lower($2) ORDER BY id LIMIT 1`, [group.lang, question]);
    const found = open[0];
    if (found) {
      const before = toItem(found);
      const examples = distinct(question, [...before.examples, ...(group.examples ?? [])]);
      const asked = Math.max(before.asked, group.asked ?? 0);
      const { rows } = await this.pool.query<Row>(
        `UPDATE content_missing_guides SET examples = $2::jsonb, asked = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [found.id, JSON.stringify(examples), asked]);
      return { item: toItem(onlyRow(rows, "UPDATE content_missing_guides")), created: false };
    }
    const examples = distinct(question, group.examples ?? []);
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO content_missing_guides (question, lang, examples, asked, staff_id, author) VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING ${COLUMNS}`,
      [question, group.lang, JSON.stringify(examples), group.asked ?? 0, author.staffId ?? null, author.name]);
    const item = toItem(onlyRow(rows, "INSERT INTO content_missing_guides"));
    await this.#audit(author, "content-guide-needed", { id: item.id, question, lang: group.lang });
    return { item, created: true };
  }

  /** The list: open items first (newest first), then done ones (most recently done first). */
  async list(limit = 500): Promise<MissingGuide[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM content_missing_guides ORDER BY (done_at IS NULL) DESC, coalesce(done_at, created_at) DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(toItem);
  }

  /** One item, or undefined. */
  async get(id: number): Promise<MissingGuide | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM content_missing_guides WHERE id = $1`, [id]);
    return rows[0] ? toItem(rows[0]) : undefined;
  }

  /** Marks an item done with the guide that now covers it; undefined when there is no such item. */
  async done(id: number, guideId: string, author: Author): Promise<MissingGuide | undefined> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE content_missing_guides SET done_at = now(), done_guide_id = $2, done_staff_id = $3, done_by = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, guideId, author.staffId ?? null, author.name]);
    if (!rows[0]) return undefined;
    const item = toItem(rows[0]);
    await this.#audit(author, "content-guide-needed-done", { id, guideId, question: item.question, lang: item.lang });
    return item;
  }

  /** Removes an item; false when there is no such item. */
  async remove(id: number, author: Author): Promise<boolean> {
    const { rows } = await this.pool.query<{ question: string; lang: string }>("DELETE FROM content_missing_guides WHERE id = $1 RETURNING question, lang", [id]);
    if (!rows[0]) return false;
    await this.#audit(author, "content-guide-needed-removed", { id, question: rows[0].question, lang: rows[0].lang });
    return true;
  }

  async #audit(author: Author, action: string, detail: Record<string, unknown>): Promise<void> {
    await this.pool.query("INSERT INTO audit_log (staff_id, action, detail) VALUES ($1, $2, $3::jsonb)", [author.staffId ?? null, action, JSON.stringify(detail)]);
  }
}
