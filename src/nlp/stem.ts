/**
 * Per-language analysis: folded surface terms → stopwords removed → stems.
 * Russian and English use the Snowball stemmers from @orama/stemmers; Latvian uses our light
 * stemmer, because no Latvian stemmer exists on npm.
 * @module
 */
import { stemmer as stemRussian } from "@orama/stemmers/russian";
import { stemmer as stemEnglish } from "@orama/stemmers/english";
import type { Lang } from "../core/types.js";
import { stemLatvian } from "./latvian-stemmer.js";
import { hasCyrillic, surfaceTerms } from "./normalize.js";
import { STOPWORDS } from "./stopwords.js";

/** How words are reduced before matching. `none` keeps folded surface forms (for evaluation). */
export type StemMode = "light" | "none";

/** Memoised stems per language: a corpus repeats the same few thousand words many times. */
const CACHE: Record<Lang, Map<string, string>> = { lv: new Map(), ru: new Map(), en: new Map() };
const CACHE_LIMIT = 200_000;

/** Stems one folded word by the rules of `lang`; Cyrillic words always use the Russian stemmer. */
export function stemWord(word: string, lang: Lang): string {
  const cache = CACHE[lang];
  let stem = cache.get(word);
  if (stem === undefined) {
    if (hasCyrillic(word)) stem = stemRussian(word);
    // Latin words in Russian text ("Smart-ID", "latvija.lv") follow Latvian rules.
    else stem = lang === "en" ? stemEnglish(word) : stemLatvian(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}

/**
 * Turns text into match terms for `lang`: folded, split, stopwords removed, stemmed.
 * @example analyze("Kā saņemt e-rēķinus?", "lv") // ["sanem", "erekin", "rekin"]
 */
export function analyze(text: string, lang: Lang, mode: StemMode = "light"): string[] {
  const stop = STOPWORDS[lang];
  const out: string[] = [];
  for (const term of surfaceTerms(text)) {
    // Numbers (dates, amounts) never decide the topic of a question.
    if (stop.has(term) || /^\d+$/.test(term)) continue;
    out.push(mode === "none" ? term : stemWord(term, lang));
  }
  return out;
}
