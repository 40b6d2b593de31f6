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
import { memoize } from "./memo.js";

/** How words are reduced before matching. `none` keeps folded surface forms (for evaluation). */
export type StemMode = "light" | "none";

/** Memoised stems per language: a corpus repeats the same few thousand words many times. */
/**
 * The stemmer of each language, remembered per word; Cyrillic words always use the Russian one,
 * and Latin words in Russian text ("Smart-ID", "latvija.lv") follow Latvian rules.
 */
const latvianRules = (word: string): string => (hasCyrillic(word) ? stemRussian(word) : stemLatvian(word));
const STEMS: Readonly<Record<Lang, (word: string) => string>> = {
  lv: memoize(200_000, latvianRules),
  ru: memoize(200_000, latvianRules),
  en: memoize(200_000, (word) => (hasCyrillic(word) ? stemRussian(word) : stemEnglish(word))),
};

/** Stems one folded word by the rules of `lang`; Cyrillic words always use the Russian stemmer. */
export function stemWord(word: string, lang: Lang): string {
  return STEMS[lang](word);
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
