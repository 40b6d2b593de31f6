/**
 * Grouping of unanswered questions by similar wording — pure (no database), so that it is tested
 * on its own. The text is folded, split, stripped of stopwords and stemmed with the project's
 * analysis in the question's language; questions with equal stem sets form one bucket; buckets
 * are then clustered greedily, largest first, each joining the first group whose first bucket's
 * stem set has a Jaccard similarity of at least {@link SIMILARITY}. Questions without informative
 * words group only by their folded text. Phone numbers and e-mail addresses are masked
 * (`maskContacts`, core/privacy.ts).
 * @module
 */
import { maskContacts } from "../../core/privacy.js";
import { isLang } from "../../core/types.js";
import { fold } from "../../nlp/normalize.js";
import { analyze } from "../../nlp/stem.js";
import { SIMILARITY } from "./definitions.js";

/** Why a question counts as unanswered. */
export type UnansweredReason = "fallback" | "lowConfidence" | "feedbackDown" | "escalation";

/** Similar questions residents did not get a good answer to. */
export interface UnansweredGroup {
  /** The most frequent wording in the group (ties: the earliest), with contacts masked. */
  readonly representative: string;
  /** How many questions (occurrences) the group holds. */
  readonly count: number;
  /** Questions per language (`unknown` when not recorded). */
  readonly languages: Readonly<Record<string, number>>;
  /**
   * How many of the group's questions had each reason; one question may have several, so these
   * may add up to more than `count`.
   */
  readonly reasons: Readonly<Record<UnansweredReason, number>>;
  /** The guide that matched the group's questions best most often (ties: alphabetical), if any. */
  readonly closestGuide: string | null;
  /** Up to 3 distinct wordings, most frequent first, the representative first. */
  readonly examples: readonly string[];
  /** Where in a flow the questions were asked ("e-invoice-setup › jnku-mail-client"), most frequent first; absent when nowhere. */
  readonly inFlows?: readonly string[];
}

/** One unanswered question, with every reason it counts. */
export interface Occurrence {
  readonly text: string;
  readonly lang: string;
  readonly guide: string | null;
  readonly at: number;
  readonly reasons: Set<UnansweredReason>;
  /** "flow › step" when the question was asked inside a flow. */
  readonly inFlow?: string;
}

/** The Jaccard similarity of two stem sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** What a wording is compared by: its stems in `lang`, or (without informative words) its folded text. */
export interface WordingKey {
  readonly stems: ReadonlySet<string>;
  readonly folded: string;
}

/** The {@link WordingKey} of a wording in `lang` (an unknown language reads as Latvian). */
export function wordingKey(text: string, lang: string): WordingKey {
  return { stems: new Set(analyze(text, isLang(lang) ? lang : "lv")), folded: fold(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim() };
}

/** True when two wordings would fall into one group: stems similar by {@link SIMILARITY}, or (without stems) the same folded text. */
export function similarWordings(a: WordingKey, b: WordingKey): boolean {
  if (a.stems.size > 0 && b.stems.size > 0) return jaccard(a.stems, b.stems) >= SIMILARITY;
  return a.stems.size === 0 && b.stems.size === 0 && a.folded !== "" && a.folded === b.folded;
}

/**
 * Questions of one wording, language, closest guide and place in a flow, counted together (the
 * report counts them so in SQL); {@link groupWordings} groups them as {@link groupQuestions} would
 * group the questions one by one.
 */
export interface WordingCount {
  readonly text: string;
  readonly lang: string;
  readonly guide: string | null;
  /** "flow › step" when the questions were asked inside a flow. */
  readonly inFlow?: string;
  /** How many questions (at least 1). */
  readonly count: number;
  /** When the earliest of them was asked (ms). */
  readonly at: number;
  /** How many of them had each reason. */
  readonly reasons: Readonly<Record<UnansweredReason, number>>;
}

/** Distinct values of `items`, most frequent first by their counts (ties: the first seen). */
function ranked<T>(items: readonly T[], value: (item: T) => string | undefined, count: (item: T) => number): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const v = value(item);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + count(item));
  }
  // Map keeps first-seen order; the sort is stable.
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * Groups questions by similar wording, most frequent first (ties: alphabetical), at most `limit`
 * groups. Wordings are cleaned (contacts masked, spaces collapsed); what has no letter or digit is
 * left out.
 */
export function groupQuestions(occurrences: Iterable<Occurrence>, limit = 50): UnansweredGroup[] {
  return groupWordings([...occurrences].map((o) => {
    const reasons: Record<UnansweredReason, number> = { fallback: 0, lowConfidence: 0, feedbackDown: 0, escalation: 0 };
    for (const r of o.reasons) reasons[r] = 1;
    return { text: o.text, lang: o.lang, guide: o.guide, count: 1, at: o.at, reasons, ...(o.inFlow ? { inFlow: o.inFlow } : {}) };
  }), limit);
}

/**
 * {@link groupQuestions} for questions counted by wording: the same groups as when each question
 * were given on its own (first seen = the earliest; wordings, languages and places in a flow rank
 * by their counts). Each distinct wording is cleaned and stemmed once.
 */
export function groupWordings(wordings: Iterable<WordingCount>, limit = 50): UnansweredGroup[] {
  // Clean wordings; drop what has nothing to read.
  const cleaned = new Map<string, string | null>();
  const clean = (text: string): string | null => {
    let found = cleaned.get(text);
    if (found === undefined) {
      const c = maskContacts(text.trim()).replace(/\s+/g, " ");
      found = /[\p{L}\p{N}]/u.test(c) ? c : null;
      cleaned.set(text, found);
    }
    return found;
  };
  const items: (WordingCount & { readonly text: string })[] = [];
  for (const w of wordings) {
    const text = clean(w.text);
    if (text !== null) items.push({ ...w, text });
  }
  items.sort((a, b) => a.at - b.at);

  // Buckets of equal stem sets.
  const buckets = new Map<string, { stems: Set<string>; items: typeof items; size: number }>();
  const keys = new Map<string, { key: string; stems: Set<string> }>();
  for (const item of items) {
    const lang = isLang(item.lang) ? item.lang : "lv";
    const id = `${lang}\u0000${item.text}`;
    let k = keys.get(id);
    if (!k) {
      const stems = new Set(analyze(item.text, lang));
      k = { key: stems.size > 0 ? [...stems].sort().join(" ") : `#${fold(item.text).replace(/[^\p{L}\p{N}]+/gu, " ").trim()}`, stems };
      keys.set(id, k);
    }
    const bucket = buckets.get(k.key);
    if (bucket) {
      bucket.items.push(item);
      bucket.size += item.count;
    } else buckets.set(k.key, { stems: k.stems, items: [item], size: item.count });
  }
  // Greedy clustering, largest bucket first (ties: the earliest question).
  const ordered = [...buckets.values()].sort((a, b) => b.size - a.size || (a.items[0]?.at ?? 0) - (b.items[0]?.at ?? 0));
  const clusters: { stems: Set<string>; items: typeof items }[] = [];
  for (const bucket of ordered) {
    const home = bucket.stems.size > 0 ? clusters.find((c) => c.stems.size > 0 && jaccard(c.stems, bucket.stems) >= SIMILARITY) : undefined;
    if (home) home.items.push(...bucket.items);
    else clusters.push({ stems: bucket.stems, items: [...bucket.items] });
  }

  const byCount = (m: WordingCount): number => m.count;
  const groups: UnansweredGroup[] = clusters.map((c) => {
    const members = [...c.items].sort((a, b) => a.at - b.at);
    const wordings = ranked(members, (m) => m.text, byCount).map(([v]) => v);
    const languages: Record<string, number> = {};
    for (const [lang, n] of ranked(members, (m) => m.lang, byCount)) languages[lang] = n;
    const reasons: Record<UnansweredReason, number> = { fallback: 0, lowConfidence: 0, feedbackDown: 0, escalation: 0 };
    for (const m of members) for (const r of REASONS) reasons[r] += m.reasons[r];
    // Ties between guides: alphabetical (the first seen once sorted).
    const guides = ranked([...members].filter((m) => m.guide !== null).sort((a, b) => byText(a.guide ?? "", b.guide ?? "")), (m) => m.guide ?? undefined, byCount);
    const flows = ranked(members, (m) => m.inFlow, byCount).map(([v]) => v);
    return {
      representative: wordings[0] ?? "",
      count: members.reduce((n, m) => n + m.count, 0),
      languages,
      reasons,
      closestGuide: guides[0]?.[0] ?? null,
      examples: wordings.slice(0, 3),
      ...(flows.length > 0 ? { inFlows: flows } : {}),
    };
  });
  groups.sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative, "lv"));
  return groups.slice(0, Math.max(0, limit));
}

const REASONS = ["fallback", "lowConfidence", "feedbackDown", "escalation"] as const satisfies readonly UnansweredReason[];
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
