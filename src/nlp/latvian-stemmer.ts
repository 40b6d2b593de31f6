/**
 * A light Latvian stemmer that works on folded text (no diacritics), because residents often type
 * without them ("sanemt rekinu"). It removes one inflectional ending, and the verbal-noun and
 * infinitive suffixes, so that "rēķins", "rēķinu", "rēķini", "rēķinus", "rēķiniem" all give
 * "rekin", and "pieteikties", "pieteikšanās" give "pieteik".
 *
 * Why not a dictionary lemmatiser: hunspell's dictionary-lv (via nodehun) returns nothing for
 * words typed without diacritics, which is exactly the input we must handle, and it needs a native
 * build. The evaluation (`cli eval --stemmer none`) shows what this stemmer adds.
 * @module
 */

/** Endings removed first: reflexive and verbal-noun forms, longest first. */
const DERIVATIONAL = ["sanas", "sanai", "sanam", "sanos", "sanu", "sana", "ties"];

/** Inflectional endings of nouns, adjectives, participles and verbs (folded), longest first. */
const INFLECTIONAL = [
  "ajiem", "ajam", "ajai", "ajos", "ajas",
  "osiem", "osam", "osai", "osas", "osos",
  "iem", "ies", "ams", "ama", "ami", "amas", "ais", "ot", "ie",
  "am", "em", "im", "um", "as", "es", "is", "us", "os", "ai", "ei", "ij", "aj",
  "a", "e", "i", "o", "u", "s",
];

const MIN_STEM = 3;

function stripOne(word: string, endings: readonly string[]): string {
  for (const ending of endings) {
    if (word.length - ending.length >= MIN_STEM && word.endsWith(ending)) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

/**
 * Stems one folded Latvian word.
 * @example stemLatvian("rekinus") // "rekin"
 */
export function stemLatvian(word: string): string {
  if (word.length <= MIN_STEM || /\d/.test(word)) return word;
  let stem = word;
  const derived = stripOne(stem, DERIVATIONAL);
  if (derived !== stem) {
    stem = derived;
  } else {
    stem = stripOne(stem, INFLECTIONAL);
  }
  // Infinitives and participles: "sanemt" → "sanem", "deklarets" → "deklaret" → "deklare".
  if (stem.length > MIN_STEM + 1 && stem.endsWith("t")) {
    stem = stem.slice(0, -1);
  }
  return stem;
}
