/**
 * Language detection per message (lv / ru / en) tuned for how residents type: Latvian written
 * without diacritics must stay Latvian, and Russian typed in Latin letters ("kak oplatit
 * nalog") must be Russian. Signals, strongest first: Cyrillic script; Latvian letters (ā, ē, ī,
 * ū, č, ģ, ķ, ļ, ņ, š, ž); function words of each language; Latin words whose Cyrillic reading
 * is a known Russian word; letters and spellings a language does not use (w, q, x, y; zh, kh,
 * ch, shch); typical word endings; and the vocabulary of the guides in each language.
 * @module
 */
import { stemmer as stemRussian } from "@orama/stemmers/russian";
import type { Lang } from "../core/types.js";
import { fold, hasCyrillic, surfaceTerms } from "./normalize.js";
import { RUSSIAN_WORDS } from "./russian-words.js";
import { STOPWORDS } from "./stopwords.js";
import { cyrillicVariants, toCyrillic } from "./translit.js";

/** Words seen in the guides of each language (folded), used as extra evidence. */
export interface Vocabulary {
  readonly lv: ReadonlySet<string>;
  readonly en: ReadonlySet<string>;
  /** Words of the Russian guides (Cyrillic, and the Latin terms they use such as "e-adrese"). */
  readonly ru?: ReadonlySet<string>;
}

const LATVIAN_LETTERS = /[āčēģīķļņšūž]/iu;
const NON_LATVIAN_LETTERS = /[wqxy]/iu;
/** Latvian word endings that English and Russian words rarely have (folded). */
const LATVIAN_ENDINGS = /(?:sana|sanas|sanu|ties|iem|iju|ija|ijas|umu|ums|ibu|iba|ibas|ajs|ais|ejs|ust|ait|ot)$/u;
/** English word shapes that Latvian words rarely have. */
const ENGLISH_SHAPES = /(?:tion|ing|ness|ment|ould|ght|th|ee|oo|ck)|^(?:wh|th)/u;
/** Spellings of Latin-typed Russian that Latvian (even without diacritics) and English rarely have. */
const RUSSIAN_SPELLINGS = /(?:zh|kh|shch|sch|[^s]ch|[bcdfgklmnprstvz]j[aeuo]|[bcdfgklmnprstvz]y[aeuo]|iy$|yj$|ij$|oj$|aja$|oje$|yje$|ogo$|ego$|omu$|ykh$|ikh$|tsja$|tsya$|sja$|sya$|nie$|nija$|stv|ovat)/u;

/** The result of detection with the evidence scores (for the editor's preview). */
export interface Detection {
  readonly lang: Lang;
  readonly scores: Readonly<Record<Lang, number>>;
  /** True when the message is Russian typed in Latin letters (answer in Cyrillic). */
  readonly translit?: boolean;
}

/** Knows Russian words: stopwords, common words and the words of the Russian guides (by stem). */
export class RussianLexicon {
  readonly #stems = new Set<string>();
  readonly #words = new Set<string>();
  readonly #latin = new Set<string>();
  readonly #cache = new Map<string, boolean>();
  /** Memoised readings of Latin words (a message's words recur across messages). */
  readonly #readings = new Map<string, "stop" | "word" | "none">();

  constructor(guideWords: Iterable<string> = []) {
    for (const w of [...RUSSIAN_WORDS, ...STOPWORDS.ru]) this.#stems.add(stemRussian(w));
    for (const w of guideWords) {
      if (hasCyrillic(w)) {
        this.#words.add(w);
        if (w.length > 2) this.#stems.add(stemRussian(w));
      } else this.#latin.add(w);
    }
  }

  /** True when a Cyrillic word is a stopword, or its stem is a known Russian stem. */
  knows(word: string): boolean {
    let known = this.#cache.get(word);
    if (known === undefined) {
      known = STOPWORDS.ru.has(word) || RUSSIAN_WORDS.has(word) || (word.length > 2 && this.#stems.has(stemRussian(word)));
      if (this.#cache.size > 50_000) this.#cache.clear();
      this.#cache.set(word, known);
    }
    return known;
  }

  /** 2 when a Cyrillic word is known as written, 1 when known by its stem, 0 otherwise. */
  rank(word: string): number {
    if (STOPWORDS.ru.has(word) || RUSSIAN_WORDS.has(word) || this.#words.has(word)) return 2;
    return this.knows(word) ? 1 : 0;
  }

  /** True when a Latin word (folded) appears in the Russian guides ("eparaksts", "e-adrese", "smart"). */
  usesLatin(word: string): boolean {
    return this.#latin.has(word);
  }

  /** The Russian reading of a Latin-typed word: a stopword, a known word, or nothing. */
  reading(term: string): "stop" | "word" | undefined {
    const cached = this.#readings.get(term);
    if (cached !== undefined) return cached === "none" ? undefined : cached;
    let found: "stop" | "word" | "none" = "none";
    for (const v of cyrillicVariants(term)) {
      if (STOPWORDS.ru.has(v)) {
        found = "stop";
        break;
      }
      if (this.knows(v)) {
        found = "word";
        break;
      }
    }
    if (this.#readings.size > 50_000) this.#readings.clear();
    this.#readings.set(term, found);
    return found === "none" ? undefined : found;
  }
}

const lexicons = new WeakMap<Vocabulary, RussianLexicon>();
const bare = new RussianLexicon();

/** The Russian lexicon for a vocabulary (built once per vocabulary). */
export function russianLexicon(vocab?: Vocabulary): RussianLexicon {
  if (!vocab) return bare;
  let lexicon = lexicons.get(vocab);
  if (!lexicon) {
    lexicon = new RussianLexicon(vocab.ru ?? []);
    lexicons.set(vocab, lexicon);
  }
  return lexicon;
}

const LETTER = /\p{L}/gu;
const CYRILLIC_LETTER = /(?=\p{Script=Cyrillic})\p{L}/gu;

/** Latin-typed Russian function words that are also Latvian or English words: no evidence either way. */
const SHARED_SHORT = new Set(["a", "i", "ja", "no", "to", "ne", "es", "kas", "kur", "par", "pa", "tu", "te", "tam", "man", "ka", "kad", "on", "do", "so", "se", "bet", "by", "me", "mi", "my"]);

/**
 * Detects the language of one message. Ties and empty text fall back to `fallback`.
 * @example detectLanguage("ka sanemt e-rekinu").lang // "lv"
 * @example detectLanguage("kak oplatit nalog").lang // "ru" (translit: true)
 */
export function detectLanguage(text: string, vocab?: Vocabulary, fallback: Lang = "lv"): Detection {
  const scores: Record<Lang, number> = { lv: 0, ru: 0, en: 0 };
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return { lang: fallback, scores };
  const cyrillic = hasCyrillic(text) ? text.match(CYRILLIC_LETTER)?.length ?? 0 : 0;
  if (cyrillic / letters >= 0.5) {
    scores.ru = cyrillic;
    return { lang: "ru", scores };
  }
  const lexicon = russianLexicon(vocab);
  const lower = text.normalize("NFKC").toLowerCase();
  const diacritics = LATVIAN_LETTERS.test(lower);
  if (diacritics) scores.lv += 3;
  let known = diacritics ? 1 : 0;
  let russianWords = 0;
  for (const term of surfaceTerms(fold(text))) {
    if (hasCyrillic(term) || /\d/.test(term)) continue;
    const lvStop = STOPWORDS.lv.has(term);
    const enStop = STOPWORDS.en.has(term);
    const inLv = vocab?.lv.has(term) ?? false;
    const inEn = vocab?.en.has(term) ?? false;
    if (lvStop || enStop || inLv || inEn) known++;
    if (lvStop) scores.lv += 1.5;
    if (enStop) scores.en += 1.5;
    if (NON_LATVIAN_LETTERS.test(term)) scores.en += 1;
    if (term.length > 3 && LATVIAN_ENDINGS.test(term)) scores.lv += 0.5;
    if (ENGLISH_SHAPES.test(term)) scores.en += 0.5;
    if (inLv && !inEn) scores.lv += 1;
    if (inEn && !inLv) scores.en += 1;
    // Latin-typed Russian: the Cyrillic reading is a Russian word.
    const shared = SHARED_SHORT.has(term);
    const reading = shared ? undefined : lexicon.reading(term);
    if (reading) {
      known++;
      russianWords++;
      const other = lvStop || enStop || inLv || inEn;
      scores.ru += reading === "stop" ? (other ? 0.5 : 2) : other ? 0.5 : 1.5;
    }
    if (RUSSIAN_SPELLINGS.test(term)) scores.ru += 0.75;
    // "y" is not Latvian but common in both English and Latin-typed Russian.
    if (term.includes("y") && reading) scores.ru += 0.5;
  }
  // Not one known word (typos, nonsense, names): keep the resident's language.
  if (known === 0) return { lang: fallback, scores };
  if (russianWords > 0 && scores.ru > scores.lv && scores.ru > scores.en) return { lang: "ru", scores, translit: true };
  if (scores.en > scores.lv) return { lang: "en", scores };
  if (scores.lv > scores.en) return { lang: "lv", scores };
  return { lang: fallback === "ru" ? "lv" : fallback, scores };
}

/**
 * Rewrites Latin-typed Russian in Cyrillic for analysis: words with a known Russian reading
 * become Cyrillic; Latvian terms, brands and words of the Russian guides written in Latin
 * ("e-adrese", "pabalsts", "Smart-ID") stay as they are.
 * @example cyrillicQuery("kak aktivirovat e-adrese", vocab) // "как активировать e-adrese"
 */
export function cyrillicQuery(text: string, vocab?: Vocabulary): string {
  const lexicon = russianLexicon(vocab);
  return toCyrillic(
    text,
    (w) => lexicon.rank(w),
    (latin) => {
      const folded = fold(latin);
      if (lexicon.usesLatin(folded) && lexicon.reading(folded) === undefined) return true;
      // Latvian words (from the guides) with no Russian reading: "pabalsts", "iesniegums".
      return lexicon.reading(folded) === undefined && (vocab?.lv.has(folded) === true || vocab?.en.has(folded) === true) && folded.length > 3;
    },
  );
}
