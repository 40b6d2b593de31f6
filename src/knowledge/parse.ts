/**
 * Parses a guide file (front matter + markdown sections) and reports problems with line numbers.
 * @module
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import { isLang, LANGS } from "../core/types.js";
import type { Diagnostic } from "./diagnostics.js";
import { MIN_EXAMPLE_QUESTIONS, type Citation, type Guide, type Section, type SectionKind } from "./guide.js";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ANCHOR = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for an absolute http(s) URL with a host. */
export function isValidUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".") && !/\s/.test(value);
  } catch {
    return false;
  }
}

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const dateField = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isRealDate, "must be a date written as YYYY-MM-DD");

const nonEmpty = z.string().trim().min(1, "must not be empty");

// --- Sources with their dates (content truth, issue 11) ---
const PUBLISHED = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/** The last day a `published` value (YYYY, YYYY-MM or YYYY-MM-DD) can stand for, or undefined when invalid. */
export function publishedUntil(value: string): string | undefined {
  if (!PUBLISHED.test(value)) return undefined;
  const [y, m, d] = value.split("-").map(Number) as [number, number?, number?];
  if (m !== undefined && (m < 1 || m > 12)) return undefined;
  if (d !== undefined) return isRealDate(value) ? value : undefined;
  // The last day of the year or month: day 0 of the next month.
  const last = new Date(Date.UTC(y, m ?? 12, 0));
  return last.toISOString().slice(0, 10);
}

const published = z
  .union([z.number().int(), z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)))
  .refine((v) => publishedUntil(v) !== undefined, "must be a year or a date: YYYY, YYYY-MM or YYYY-MM-DD");

/**
 * One source: a URL, or `{ url, published }` for a page with a known date, or `{ title, published }`
 * for a document that is not on the web (for example a municipality's workshop material).
 */
const SourceEntry = z.union([
  z.string(),
  z.object({ url: z.string().optional(), title: nonEmpty.optional(), published: published.optional() }).strict()
    .refine((s) => s.url !== undefined || s.title !== undefined, "needs a 'url' or, for a document not on the web, a 'title'"),
]);

const FrontMatter = z.object({
  id: z.string().regex(ID, "must be lowercase letters, digits and hyphens"),
  lang: z.string().refine(isLang, "must be lv, ru or en"),
  title: nonEmpty,
  summary: nonEmpty,
  keywords: z.array(nonEmpty).min(1, "needs at least one keyword"),
  sources: z.array(SourceEntry).min(1, "needs at least one official source URL"),
  checked: dateField,
  review_by: dateField,
  related: z.array(z.string()).default([]),
  /** Anchors of sections whose facts may be out of date (they must not be the first section an answer shows). */
  possibly_outdated: z.array(z.string()).default([]),
  questions: z.array(nonEmpty).default([]),
  /**
   * Example questions in another language, taught from the unanswered report while this guide has
   * no translation in it: residents writing that language get this text with a note.
   */
  questions_lv: z.array(nonEmpty).default([]),
  questions_ru: z.array(nonEmpty).default([]),
  questions_en: z.array(nonEmpty).default([]),
});

const HEADING = /^##\s+(.+?)\s*(?:\{#([^}]*)\})?\s*$/;

function kindOf(anchor: string): SectionKind {
  if (anchor === "intro" || anchor === "need" || anchor === "trouble" || anchor === "help") return anchor;
  return "steps";
}

/** The result of parsing one file: a guide when it is usable, and every problem found. */
export interface ParseResult {
  readonly guide?: Guide;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses one guide file. `file` is only used in diagnostics.
 * Problems that make the guide unusable are errors and leave `guide` undefined.
 */
export function parseGuide(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, message: string): void => {
    diagnostics.push({ file, line, severity: "error", message });
  };
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") {
    error(1, "missing front matter: the file must start with a line '---'");
    return { diagnostics };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) {
    error(1, "front matter is not closed: add a line '---' after it");
    return { diagnostics };
  }
  const yamlText = lines.slice(1, end).join("\n");
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, uniqueKeys: true });
  const lineAt = (offset: number): number => counter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) error(lineAt(e.pos[0]), `front matter: ${e.message.split("\n")[0]}`);
    return { diagnostics };
  }
  const fieldLines: Record<string, number> = {};
  const itemLines: Record<string, number[]> = {};
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const keyNode = pair.key as Node | null;
      fieldLines[key] = keyNode?.range ? lineAt(keyNode.range[0]) : 2;
      if (isSeq(pair.value)) {
        itemLines[key] = pair.value.items.map((item) => lineAt((item as Node).range?.[0] ?? 0));
      }
    }
  } else {
    error(2, "front matter must be a set of 'field: value' lines");
    return { diagnostics };
  }
  const parsed = FrontMatter.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      const index = typeof issue.path[1] === "number" ? issue.path[1] : undefined;
      const line = (index !== undefined ? itemLines[field]?.[index] : undefined) ?? fieldLines[field] ?? 1;
      const missing = issue.code === "invalid_type" && !(field in fieldLines);
      error(line, missing ? `front matter: '${field}' is missing` : `front matter: '${field}' ${issue.message}`);
    }
    return { diagnostics };
  }
  const fm = parsed.data;
  const citations: Citation[] = fm.sources.map((entry, i) => {
    const line = itemLines.sources?.[i] ?? fieldLines.sources ?? 1;
    const item = typeof entry === "string" ? { url: entry } : entry;
    if (item.url !== undefined && !isValidUrl(item.url)) error(line, `malformed URL in sources: '${item.url}'`);
    return {
      ...(item.url !== undefined ? { url: item.url } : {}),
      ...(item.title !== undefined ? { title: item.title.trim() } : {}),
      ...(item.published !== undefined ? { published: item.published } : {}),
      line,
    };
  });

  // Sections: text before the first heading is the intro.
  const sections: Section[] = [];
  let current: { anchor: string; heading: string; line: number; body: string[] } = {
    anchor: "intro",
    heading: "",
    line: end + 2,
    body: [],
  };
  const flush = (): void => {
    const body = current.body.join("\n").trim();
    if (current.anchor === "intro" && body === "") return;
    if (body === "") error(current.line, `section '${current.heading}' is empty`);
    sections.push({ anchor: current.anchor, heading: current.heading, body, kind: kindOf(current.anchor), line: current.line });
  };
  for (const [i, line] of lines.entries()) {
    if (i <= end) continue;
    const m = HEADING.exec(line);
    if (m && !line.startsWith("###")) {
      flush();
      const heading = (m[1] ?? "").trim();
      const anchor = m[2]?.trim() ?? "";
      if (!ANCHOR.test(anchor)) {
        error(i + 1, `heading '${heading}' needs an anchor like {#need}: lowercase letters, digits and hyphens`);
      } else if (sections.some((s) => s.anchor === anchor)) {
        error(i + 1, `anchor {#${anchor}} is used twice`);
      }
      current = { anchor, heading, line: i + 1, body: [] };
    } else {
      current.body.push(line);
    }
  }
  flush();
  if (!sections.some((s) => s.kind === "steps")) {
    error(end + 2, "the guide has no step section (a '## Heading {#anchor}' with numbered steps)");
  }
  const own = `questions_${fm.lang}` as const;
  if (fm[own].length > 0) error(fieldLines[own] ?? 1, `front matter: '${own}' is this guide's own language: put these questions under 'questions'`);
  if (diagnostics.length > 0) return { diagnostics };
  if (fm.questions.length < MIN_EXAMPLE_QUESTIONS) {
    diagnostics.push({
      file,
      line: fieldLines.questions ?? 1,
      severity: "warning",
      message: `front matter: 'questions' has ${fm.questions.length} example question(s); add at least ${MIN_EXAMPLE_QUESTIONS} as residents write them (short, long, without diacritics${fm.lang === "ru" ? ", in Latin letters" : ""})`,
    });
  }
  const guide: Guide = {
    id: fm.id,
    lang: fm.lang,
    title: fm.title.trim(),
    summary: fm.summary.trim(),
    keywords: fm.keywords.map((k) => k.trim()),
    sources: citations.map((c) => c.url ?? c.title ?? ""),
    citations,
    possiblyOutdated: fm.possibly_outdated,
    questions: fm.questions.map((q) => q.trim()),
    ...(fm.questions_lv.length + fm.questions_ru.length + fm.questions_en.length > 0 ? {
      questionsFor: Object.fromEntries(LANGS.flatMap((l) => (fm[`questions_${l}`].length > 0 ? [[l, fm[`questions_${l}`].map((q) => q.trim())]] : []))),
    } : {}),
    checked: fm.checked,
    reviewBy: fm.review_by,
    related: fm.related,
    sections,
    file,
    lines: { ...fieldLines, body: end + 2 },
  };
  return { guide, diagnostics };
}
