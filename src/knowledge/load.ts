/**
 * Loads the knowledge folder: `<dir>/<lang>/<id>.md` guides, `<dir>/centres.yaml` and
 * `<dir>/holidays.yaml`, and checks everything that needs more than one file (translations,
 * related ids, review dates).
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LANGS, type Lang } from "../core/types.js";
import { parseCentres, type Centres } from "./centres.js";
import type { Diagnostic } from "./diagnostics.js";
import { parseHolidays, type Holidays } from "./holidays.js";
import { REQUIRED_ANCHORS, type Guide } from "./guide.js";
import { parseGuide, publishedUntil } from "./parse.js";
import { untranslatedCopies } from "./translation-check.js";

/** A source older than this many years counts as old. */
export const OLD_SOURCE_YEARS = 5;

/** A guide resting only on old sources must be reviewed within this many months. */
export const OLD_SOURCES_REVIEW_MONTHS = 6;

/** The YYYY-MM-DD date `years` years and `months` months from `date` (negative goes back). */
function shiftDate(date: string, years: number, months = 0): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years, d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * The rules about how current a guide's facts are:
 * - a section marked `possibly_outdated` must exist and must not be the first section an answer
 *   shows (the first step section: general questions get it);
 * - a guide whose sources all have a date, every one older than {@link OLD_SOURCE_YEARS} years,
 *   needs a `review_by` within {@link OLD_SOURCES_REVIEW_MONTHS} months.
 */
function currencyRules(guide: Guide, today: string, error: (line: number, message: string) => void, warn: (line: number, message: string) => void): void {
  const line = guide.lines.possibly_outdated ?? 1;
  const firstSteps = guide.sections.find((s) => s.kind === "steps");
  for (const anchor of guide.possiblyOutdated) {
    const section = guide.sections.find((s) => s.anchor === anchor);
    if (!section) error(line, `possibly_outdated: no section {#${anchor}} in this guide`);
    else if (section === firstSteps) {
      error(section.line, `section {#${anchor}} is marked possibly outdated but is the first section an answer shows: put a section with current facts before it`);
    }
  }
  const dates = guide.citations.map((c) => (c.published === undefined ? undefined : publishedUntil(c.published)));
  if (dates.length === 0 || dates.some((d) => d === undefined)) return;
  const newest = (dates as string[]).reduce((a, b) => (a > b ? a : b));
  if (newest >= shiftDate(today, -OLD_SOURCE_YEARS)) return;
  const latest = shiftDate(today, 0, OLD_SOURCES_REVIEW_MONTHS);
  if (guide.reviewBy > latest) {
    warn(guide.lines.sources ?? 1, `every source is older than ${OLD_SOURCE_YEARS} years (the newest is from ${newest.slice(0, 4)}): find a current source, or set review_by no later than ${latest}`);
  }
}

/**
 * The to-do for a guide without a translation (a warning: a new guide may go live in one language
 * first). Residents writing in a language without it get the Latvian text with a note; a guide
 * without Latvian text is found only in the languages it has.
 */
export function missingTranslation(id: string, lang: Lang, dirLabel = "knowledge"): string {
  const who = lang === "lv"
    ? "residents writing in Latvian (and in languages without a translation) do not get it"
    : "residents writing in this language get the Latvian text with a note";
  return `guide '${id}' is missing in '${lang}' (translation to do: ${who}): add ${dirLabel}/${lang}/${id}.md`;
}

/** Text a new guide's template asks to replace, written `[[…]]` (see docs/content-guide.md). */
const PLACEHOLDER = /\[\[[^\]\n]*\]\]/;

/** An error at each line that still holds a template's `[[…]]` text: such a guide is not finished. */
function templateText(text: string, file: string): Diagnostic[] {
  return text.split("\n").flatMap((line, i) => {
    const found = PLACEHOLDER.exec(line);
    return found ? [{ file, line: i + 1, severity: "error" as const, message: `template text ${found[0]} is still here: replace it with the guide's own text` }] : [];
  });
}

/** A loaded knowledge base: usable guides by language and id, centres, and all problems found. */
export interface KnowledgeBase {
  readonly guides: ReadonlyMap<Lang, ReadonlyMap<string, Guide>>;
  /** Every guide id, sorted. */
  readonly ids: readonly string[];
  readonly centres?: Centres;
  /** Public holidays, when holidays.yaml was given and passed the check. */
  readonly holidays?: Holidays;
  readonly diagnostics: readonly Diagnostic[];
}

/** Options for {@link loadKnowledge}. */
export interface LoadOptions {
  /** "Today" for review-date warnings. @default new Date() */
  readonly today?: Date;
}

/** One raw content file. */
export interface SourceFile {
  /** Path as shown in diagnostics. */
  readonly file: string;
  readonly text: string;
}

async function listMarkdown(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
  } catch {
    return [];
  }
}

/** Reads the knowledge folder from disk and builds the knowledge base. */
export async function loadKnowledge(dir: string, options: LoadOptions = {}): Promise<KnowledgeBase> {
  const display = (p: string): string => path.relative(process.cwd(), p) || p;
  const files: { lang: Lang; source: SourceFile }[] = [];
  for (const lang of LANGS) {
    for (const name of await listMarkdown(path.join(dir, lang))) {
      const full = path.join(dir, lang, name);
      files.push({ lang, source: { file: display(full), text: await readFile(full, "utf8") } });
    }
  }
  let centresSource: SourceFile | undefined;
  const centresPath = path.join(dir, "centres.yaml");
  try {
    centresSource = { file: display(centresPath), text: await readFile(centresPath, "utf8") };
  } catch {
    centresSource = undefined;
  }
  let holidaysSource: SourceFile | null;
  const holidaysPath = path.join(dir, "holidays.yaml");
  try {
    holidaysSource = { file: display(holidaysPath), text: await readFile(holidaysPath, "utf8") };
  } catch {
    holidaysSource = null;
  }
  return buildKnowledge(files, centresSource, options, display(dir), holidaysSource);
}

/**
 * Builds a knowledge base from file contents (no disk access), checking every rule of the
 * content guide. Guides with errors are left out; the rest are usable.
 * `holidaysSource`: holidays.yaml; `null` reports it missing, `undefined` skips it.
 */
export function buildKnowledge(
  files: readonly { lang: Lang; source: SourceFile }[],
  centresSource: SourceFile | undefined,
  options: LoadOptions = {},
  dirLabel = "knowledge",
  holidaysSource?: SourceFile | null,
): KnowledgeBase {
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  const diagnostics: Diagnostic[] = [];
  const byLang = new Map<Lang, Map<string, Guide>>(LANGS.map((l) => [l, new Map()]));
  const seenIds = new Set<string>();
  const fileOf = new Map<string, string>();

  for (const { lang, source } of files) {
    const { guide, diagnostics: found } = parseGuide(source.text, source.file);
    diagnostics.push(...found);
    const unfinished = templateText(source.text, source.file);
    diagnostics.push(...unfinished);
    if (!guide || unfinished.length > 0) continue;
    const error = (line: number, message: string): void => {
      diagnostics.push({ file: source.file, line, severity: "error", message });
    };
    const warn = (line: number, message: string): void => {
      diagnostics.push({ file: source.file, line, severity: "warning", message });
    };
    const before = diagnostics.length;
    if (guide.lang !== lang) error(guide.lines.lang ?? 1, `lang '${guide.lang}' does not match the folder '${lang}'`);
    const base = path.basename(source.file, ".md");
    if (base !== guide.id) error(guide.lines.id ?? 1, `id '${guide.id}' does not match the file name '${base}.md'`);
    const existing = byLang.get(lang)?.get(guide.id);
    if (existing) error(guide.lines.id ?? 1, `duplicate id '${guide.id}' (also in ${existing.file})`);
    for (const anchor of REQUIRED_ANCHORS) {
      if (!guide.sections.some((s) => s.anchor === anchor)) {
        error(guide.lines.body ?? 1, `required section {#${anchor}} is missing`);
      }
    }
    if (guide.reviewBy < today) warn(guide.lines.review_by ?? 1, `review_by ${guide.reviewBy} has passed: check the facts and set new dates`);
    if (guide.checked > today) warn(guide.lines.checked ?? 1, `checked ${guide.checked} is in the future`);
    currencyRules(guide, today, error, warn);
    if (diagnostics.slice(before).some((d) => d.severity === "error")) continue;
    byLang.get(lang)?.set(guide.id, guide);
    seenIds.add(guide.id);
    if (!fileOf.has(guide.id)) fileOf.set(guide.id, source.file);
  }

  // Cross-file rules.
  for (const lang of LANGS) {
    for (const guide of byLang.get(lang)?.values() ?? []) {
      guide.related.forEach((rel, i) => {
        if (!seenIds.has(rel)) {
          diagnostics.push({ file: guide.file, line: (guide.lines.related ?? 1) + i + 1, severity: "error", message: `related id '${rel}' points to no guide` });
        }
      });
      if (guide.related.includes(guide.id)) {
        diagnostics.push({ file: guide.file, line: guide.lines.related ?? 1, severity: "warning", message: "a guide lists itself as related" });
      }
    }
  }
  for (const id of seenIds) {
    const versions = LANGS.flatMap((lang) => {
      const guide = byLang.get(lang)?.get(id);
      return guide ? [{ lang, guide }] : [];
    });
    const [version, ...others] = versions;
    if (!version) continue;
    const first = version.guide;
    for (const lang of LANGS) {
      if (!versions.some((v) => v.lang === lang)) diagnostics.push({ file: first.file, line: first.lines.id ?? 1, severity: "warning", message: missingTranslation(id, lang, dirLabel) });
    }
    // Questions waiting for a translation that exists now belong in it.
    for (const { lang, guide } of versions) {
      for (const waiting of LANGS) {
        const there = versions.find((v) => v.lang === waiting);
        if (waiting === lang || !there || !guide.questionsFor?.[waiting]) continue;
        diagnostics.push({ file: guide.file, line: guide.lines[`questions_${waiting}`] ?? 1, severity: "warning", message: `'questions_${waiting}': ${there.guide.file} exists now: move these questions into its 'questions' and remove them here` });
      }
    }
    // A translation still in the language it was copied from (translation-check.ts).
    diagnostics.push(...untranslatedCopies(versions));
    const anchors = (g: Guide): string => g.sections.map((s) => s.anchor).filter((a) => a !== "intro").sort().join(",");
    for (const { guide: other } of others) {
      if (anchors(other) !== anchors(first)) {
        diagnostics.push({ file: other.file, line: other.lines.body ?? 1, severity: "warning", message: `section anchors differ from ${first.file}` });
      }
    }
  }

  let centres: Centres | undefined;
  if (centresSource) {
    const result = parseCentres(centresSource.text, centresSource.file, today);
    diagnostics.push(...result.diagnostics);
    centres = result.centres;
  } else {
    diagnostics.push({ file: `${dirLabel}/centres.yaml`, line: 1, severity: "error", message: "centres.yaml is missing" });
  }

  let holidays: Holidays | undefined;
  if (holidaysSource) {
    const result = parseHolidays(holidaysSource.text, holidaysSource.file, today);
    diagnostics.push(...result.diagnostics);
    holidays = result.holidays;
  } else if (holidaysSource === null) {
    diagnostics.push({ file: `${dirLabel}/holidays.yaml`, line: 1, severity: "error", message: "holidays.yaml is missing" });
  }

  diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    guides: byLang,
    ids: [...seenIds].sort(),
    ...(centres ? { centres } : {}),
    ...(holidays ? { holidays } : {}),
    diagnostics,
  };
}
