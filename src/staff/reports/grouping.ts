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

/** Distinct `values`, most frequent first (ties: the first seen). */
function ranked(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Map keeps first-seen order; the sort is stable.
  return [...counts].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

/**
 * Groups questions by similar wording, most frequent first (ties: alphabetical), at most `limit`
 * groups. Wordings are cleaned (contacts masked, spaces collapsed); what has no letter or digit is
 * left out.
 */
export function groupQuestions(occurrences: Iterable<Occurrence>, limit = 50): UnansweredGroup[] {
  // Clean wordings; drop what has nothing to read.
  const items = [...occurrences]
    .map((o) => ({ ...o, text: maskContacts(o.text.trim()).replace(/\s+/g, " ") }))
    .filter((o) => /[\p{L}\p{N}]/u.test(o.text))
    .sort((a, b) => a.at - b.at);

  // Buckets of equal stem sets.
  const buckets = new Map<string, { stems: Set<string>; items: typeof items }>();
  for (const item of items) {
    const stems = new Set(analyze(item.text, isLang(item.lang) ? item.lang : "lv"));
    const key = stems.size > 0 ? [...stems].sort().join(" ") : `#${fold(item.text).replace(/[^\p{L}\p{N}]+/gu, " ").trim()}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.items.push(item);
    else buckets.set(key, { stems, items: [item] });
  }
  // Greedy clustering, largest bucket first (ties: the earliest question).
  const ordered = [...buckets.values()].sort((a, b) => b.items.length - a.items.length || (a.items[0]?.at ?? 0) - (b.items[0]?.at ?? 0));
  const clusters: { stems: Set<string>; items: typeof items }[] = [];
  for (const bucket of ordered) {
    const home = bucket.stems.size > 0 ? clusters.find((c) => c.stems.size > 0 && jaccard(c.stems, bucket.stems) >= SIMILARITY) : undefined;
    if (home) home.items.push(...bucket.items);
    else clusters.push({ stems: bucket.stems, items: [...bucket.items] });
  }

  const groups: UnansweredGroup[] = clusters.map((c) => {
    const members = [...c.items].sort((a, b) => a.at - b.at);
    const wordings = ranked(members.map((m) => m.text));
    const languages: Record<string, number> = {};
    for (const lang of ranked(members.map((m) => m.lang))) languages[lang] = members.filter((m) => m.lang === lang).length;
    const reasons: Record<UnansweredReason, number> = { fallback: 0, lowConfidence: 0, feedbackDown: 0, escalation: 0 };
    for (const m of members) for (const r of m.reasons) reasons[r]++;
    const guides = members.map((m) => m.guide).filter((g): g is string => g !== null).sort();
    return {
      representative: wordings[0] ?? "",
      count: members.length,
      languages,
      reasons,
      closestGuide: ranked(guides)[0] ?? null,
      examples: wordings.slice(0, 3),
      ...(members.some((m) => m.inFlow) ? { inFlows: ranked(members.flatMap((m) => (m.inFlow ? [m.inFlow] : []))) } : {}),
    };
  });
  groups.sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative, "lv"));
  return groups.slice(0, Math.max(0, limit));
}
