/**
 * Which groups of the unanswered report editors already handled — taught to a guide, marked out
 * of scope, or put on the to-do list of missing guides — pure (no database). A group is handled
 * by a mark when one of the group's wordings and one of the mark's wordings would fall into one
 * group (`similarWordings`, the report's own measure) and the mark's language is one the group
 * was asked in.
 * @module
 */
import { similarWordings, wordingKey, type UnansweredGroup, type WordingKey } from "./grouping.js";

/** Something an editor did about a wording (its language and the wordings it covers). */
export interface HandledMark {
  readonly lang: string;
  /** The wordings the mark covers (the taught question; a to-do item's examples). */
  readonly wordings: readonly string[];
}

/**
 * For each group, the first of `marks` (give them newest first) that handles it, or null.
 * Compares only wordings that share a stem (or the folded text, for wordings without stems).
 */
export function matchHandled<M extends HandledMark>(groups: readonly UnansweredGroup[], marks: readonly M[]): (M | null)[] {
  // An index from stem (or "#folded") to the marks' wordings that hold it, in the marks' order.
  const index = new Map<string, { order: number; mark: M; key: WordingKey }[]>();
  marks.forEach((m, i) => {
    for (const w of m.wordings) {
      const key = wordingKey(w, m.lang);
      const terms = key.stems.size > 0 ? [...key.stems] : key.folded ? [`#${key.folded}`] : [];
      for (const t of terms) {
        const list = index.get(t) ?? [];
        list.push({ order: i, mark: m, key });
        index.set(t, list);
      }
    }
  });
  return groups.map((g) => {
    const langs = Object.keys(g.languages);
    let best: { order: number; mark: M } | null = null;
    for (const w of new Set([g.representative, ...g.examples])) {
      for (const lang of langs.length > 0 ? langs : ["unknown"]) {
        const key = wordingKey(w, lang);
        const terms = key.stems.size > 0 ? [...key.stems] : [`#${key.folded}`];
        for (const t of terms) {
          for (const candidate of index.get(t) ?? []) {
            if (best && candidate.order >= best.order) continue;
            const { mark } = candidate;
            if ((mark.lang !== lang && lang !== "unknown") || !similarWordings(key, candidate.key)) continue;
            best = { order: candidate.order, mark };
          }
        }
      }
    }
    return best?.mark ?? null;
  });
}
