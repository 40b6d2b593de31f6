/**
 * Text normalisation that survives how residents type: NFKC, lower case, Latin diacritics folded
 * ("rēķinu" → "rekinu"), "ё" → "е", and the hyphen/space variants of prefixed words
 * ("e-rēķins", "erēķins", "e rēķins" all give the joined token "erekins").
 * @module
 */

/** Letters that start a prefix compound when written apart: "e rēķins", "э счёт". */
const JOINABLE_PREFIXES = new Set(["e", "э"]);

/**
 * Folds text for matching: NFKC, lower case, Latin diacritics removed, "ё" → "е".
 * Cyrillic "й" keeps its mark so that Russian stemming stays correct.
 * @example fold("Kā saņemt E-rēķinu?") // "ka sanemt e-rekinu?"
 */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/([a-z])\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/ё/g, "е");
}

/** A word as it was written (folded) with the joined form of its hyphenated parts. */
export interface Token {
  /** The folded surface form with inner hyphens removed ("e-rekinu" → "erekinu"). */
  readonly joined: string;
  /** The parts of a hyphenated word, when there are several ("smart-id" → ["smart", "id"]). */
  readonly parts: readonly string[];
}

const WORD = /[\p{L}\p{N}]+(?:[-‐‑–'’.][\p{L}\p{N}]+)*/gu;

/**
 * Splits folded text into word tokens. Hyphenated and dotted words ("e-adrese", "latvija.lv")
 * become one joined token plus their parts; a lone "e"/"э" joins the following word.
 * @example tokenize("e rekins latvija.lv") // [{joined:"erekins",parts:[]}, {joined:"latvijalv",parts:["latvija","lv"]}]
 */
export function tokenize(text: string): Token[] {
  const words = fold(text).match(WORD) ?? [];
  const tokens: Token[] = [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i] as string;
    const next = words[i + 1];
    if (JOINABLE_PREFIXES.has(word) && next !== undefined) {
      word = `${word}-${next}`;
      i++;
    }
    const parts = word.split(/[-‐‑–'’.]/).filter((p) => p.length > 0);
    tokens.push({ joined: parts.join(""), parts: parts.length > 1 ? parts : [] });
  }
  return tokens;
}

/** All match terms of a text before stemming: joined forms and the parts of compounds. */
export function surfaceTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    out.push(t.joined);
    for (const p of t.parts) if (p.length > 1) out.push(p);
  }
  return out;
}

/** True when the text contains Cyrillic letters. */
export function hasCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}
