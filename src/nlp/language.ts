/**
 * Language detection per message (lv / ru / en) tuned for how residents type: Latvian written
 * without diacritics must stay Latvian. Signals, strongest first: Cyrillic script; Latvian
 * letters (ā, ē, ī, ū, č, ģ, ķ, ļ, ņ, š, ž); letters Latvian does not use (w, q, x, y);
 * function words; and the vocabulary of the guides in each language.
 * @module
 */
import type { Lang } from "../core/types.js";
import { fold, hasCyrillic, surfaceTerms } from "./normalize.js";
import { STOPWORDS } from "./stopwords.js";

/** Words seen in the guides of each language (folded), used as extra evidence. */
export type Vocabulary = Readonly<Record<"lv" | "en", ReadonlySet<string>>>;

const LATVIAN_LETTERS = /[āčēģīķļņšūž]/iu;
const NON_LATVIAN_LETTERS = /[wqxy]/iu;
/** Latvian word endings that English words rarely have (folded). */
const LATVIAN_ENDINGS = /(?:sana|sanas|sanu|ties|iem|iju|ija|ijas|umu|ums|ibu|iba|ibas|ajs|ais|ejs|ust|ait|ot)$/u;
/** English word shapes that Latvian words rarely have. */
const ENGLISH_SHAPES = /(?:tion|ing|ness|ment|ould|ght|th|ee|oo|ck)|^(?:wh|th)/u;

/** The result of detection with the evidence scores (for the editor's preview). */
export interface Detection {
  readonly lang: Lang;
  readonly scores: Readonly<Record<Lang, number>>;
}

/**
 * Detects the language of one message. Ties and empty text fall back to `fallback`.
 * @example detectLanguage("ka sanemt e-rekinu").lang // "lv"
 */
export function detectLanguage(text: string, vocab?: Vocabulary, fallback: Lang = "lv"): Detection {
  const scores: Record<Lang, number> = { lv: 0, ru: 0, en: 0 };
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return { lang: fallback, scores };
  const cyrillic = letters.filter((c) => hasCyrillic(c)).length;
  if (cyrillic / letters.length >= 0.5) {
    scores.ru = cyrillic;
    return { lang: "ru", scores };
  }
  const lower = text.normalize("NFKC").toLowerCase();
  if (LATVIAN_LETTERS.test(lower)) scores.lv += 3;
  let known = LATVIAN_LETTERS.test(lower) ? 1 : 0;
  for (const term of surfaceTerms(fold(text))) {
    if (hasCyrillic(term)) continue;
    if (STOPWORDS.lv.has(term) || STOPWORDS.en.has(term) || vocab?.lv.has(term) || vocab?.en.has(term)) known++;
    if (STOPWORDS.lv.has(term)) scores.lv += 1.5;
    if (STOPWORDS.en.has(term)) scores.en += 1.5;
    if (NON_LATVIAN_LETTERS.test(term)) scores.en += 1;
    if (term.length > 3 && LATVIAN_ENDINGS.test(term)) scores.lv += 0.5;
    if (ENGLISH_SHAPES.test(term)) scores.en += 0.5;
    if (vocab) {
      const inLv = vocab.lv.has(term);
      const inEn = vocab.en.has(term);
      if (inLv && !inEn) scores.lv += 1;
      if (inEn && !inLv) scores.en += 1;
    }
  }
  // Not one known word (typos, nonsense, names): keep the resident's language.
  if (known === 0) return { lang: fallback, scores };
  if (scores.en > scores.lv) return { lang: "en", scores };
  if (scores.lv > scores.en) return { lang: "lv", scores };
  return { lang: fallback === "ru" ? "lv" : fallback, scores };
}
