/**
 * Text normalisation that survives how residents type: NFKC, lower case, Latin diacritics folded
 * ("rēķinu" → "rekinu"), "ё" → "е", and the hyphen/space variants of prefixed words
 * ("e-rēķins", "erēķins", "e rēķins" all give the joined token "erekins").
 * @module
 */
import { memoize } from "./memo.js";


/** Letters that start a prefix compound when written apart: "e rēķins", "э счёт". */
const JOINABLE_PREFIXES = new Set(["e", "э"]);

/**
 * Folds text for matching: NFKC, lower case, Latin diacritics removed, "ё" → "е".
 * Cyrillic "й" keeps its mark so that Russian stemming stays correct.
 * @example fold("Kā saņemt E-rēķinu?") // "ka sanemt e-rekinu?"
 */
export function fold(text: string): string {
  return FOLDED(text);
}

// One message is folded by several readers (language, intents, scope): recent ones are remembered.
const FOLDED = memoize(4096, (text) => text
  .normalize("NFKC")
  .toLowerCase()
  .normalize("NFD")
  .replace(/([a-z])\p{M}+/gu, "$1")
  .normalize("NFC")
  .replace(/ё/g, "е"));

/** Latin letters that look like Cyrillic ones, and back. */
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у", k: "к", m: "м", t: "т", b: "в", h: "н",
  A: "А", C: "С", E: "Е", O: "О", P: "Р", X: "Х", Y: "У", K: "К", M: "М", T: "Т", B: "В", H: "Н",
};
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC).filter(([l]) => !"bhBHy".includes(l)).map(([l, c]) => [c, l]),
);

/**
 * Tidies what residents type before analysis: a letter repeated three or more times counts
 * once ("paaaldies" → "paldies", "ооочень" → "очень"), and a word mixing look-alike letters
 * of both scripts ("cчёт" with a Latin c, "e-аdrese" with a Cyrillic а) is written in the
 * script of most of its letters. Case, emoji and punctuation are left to {@link fold}.
 * @example tidy("Paaaldies") // "Paldies"
 */
export function tidy(text: string): string {
  const tidied = text.normalize("NFKC").replace(/(\p{L})\1{2,}/gu, "$1");
  // Only a text with letters of both scripts can have a word mixing them.
  if (!CYRILLIC.test(tidied) || !LATIN.test(tidied)) return tidied;
  return tidied.replace(/[\p{L}]+/gu, (word) => {
    const cyr = (word.match(/\p{Script=Cyrillic}/gu) ?? []).length;
    const lat = (word.match(/\p{Script=Latin}/gu) ?? []).length;
    if (cyr === 0 || lat === 0) return word;
    const table = cyr >= lat ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
    return word.replace(/./gu, (ch) => table[ch] ?? ch);
  });
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** A word as it was written (folded) with the joined form of its hyphenated parts. */
export interface Token {
  /** The folded surface form with inner hyphens removed ("e-rekinu" → "erekinu"). */
  readonly joined: string;
  /** The parts of a hyphenated word, when there are several ("smart-id" → ["smart", "id"]). */
  readonly parts: readonly string[];
}

const WORD = /[\p{L}\p{N}]+(?:[-‐‑–'’.][\p{L}\p{N}]+)*/gu;
/** What joins the parts of a word ("e-adrese", "latvija.lv", "don't"). */
const JOINER = /[-‐‑–'’.]/;

/** The words of folded text, a lone "e"/"э" joined to the next word with a hyphen. */
function words(text: string): string[] {
  const found = fold(text).match(WORD) ?? [];
  const out: string[] = [];
  for (let i = 0; i < found.length; i++) {
    const word = found[i] ?? "";
    const next = found[i + 1];
    if (JOINABLE_PREFIXES.has(word) && next !== undefined) {
      out.push(`${word}-${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

/** The parts of a word split at its joiners (empty ones dropped); the word itself when it has none. */
function partsOf(word: string): string[] {
  return JOINER.test(word) ? word.split(JOINER).filter((p) => p.length > 0) : [word];
}

/**
 * Splits folded text into word tokens. Hyphenated and dotted words ("e-adrese", "latvija.lv")
 * become one joined token plus their parts; a lone "e"/"э" joins the following word.
 * @example tokenize("e rekins latvija.lv") // [{joined:"erekins",parts:[]}, {joined:"latvijalv",parts:["latvija","lv"]}]
 */
export function tokenize(text: string): Token[] {
  return words(text).map((word) => {
    const parts = partsOf(word);
    return { joined: parts.length === 1 ? word : parts.join(""), parts: parts.length > 1 ? parts : [] };
  });
}

/**
 * All match terms of a text before stemming: joined forms and the parts of compounds. The
 * answers for the last few texts are kept (one turn reads its message this way in language
 * detection, the intent rules and the scope check): do not change the array returned.
 */
export function surfaceTerms(text: string): readonly string[] {
  return TERMS(text);
}

/** A turn's own texts fit in 16: a larger cache would mostly keep other residents' messages. */
const TERMS = memoize<readonly string[]>(16, (text) => termsOf(text));

/** {@link surfaceTerms} without the cache. */
function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const parts = partsOf(word);
    if (parts.length === 1) {
      out.push(word);
      continue;
    }
    out.push(parts.join(""));
    for (const p of parts) if (p.length > 1) out.push(p);
  }
  return out;
}

/** True when the text contains Cyrillic letters. */
export function hasCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}
