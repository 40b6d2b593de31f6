/**
 * Helpers over a loaded knowledge base.
 * @module
 */
import type { Vocabulary } from "../nlp/language.js";
import { LATVIAN_WORDS } from "../nlp/latvian-words.js";
import { surfaceTerms } from "../nlp/normalize.js";
import type { KnowledgeBase } from "./load.js";

export type { KnowledgeBase } from "./load.js";

/**
 * The folded words of the guides in each language, as evidence for language detection; the
 * Latvian set also holds common everyday words the guides may lack ("nevaru", "kļūdu").
 */
export function buildVocabulary(kb: KnowledgeBase): Vocabulary {
  const words = (lang: "lv" | "en" | "ru"): Set<string> => {
    const set = new Set<string>();
    for (const g of kb.guides.get(lang)?.values() ?? []) {
      const text = [g.title, g.summary, g.keywords.join(" "), ...g.sections.map((s) => `${s.heading} ${s.body}`)].join(" ");
      for (const t of surfaceTerms(text)) if (t.length > 2 && !/\d/.test(t)) set.add(t);
    }
    return set;
  };
  const lv = words("lv");
  for (const w of LATVIAN_WORDS) lv.add(w);
  return { lv, en: words("en"), ru: words("ru") };
}
