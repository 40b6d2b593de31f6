/**
 * Comparing what residents type with button labels and fixed words ("gatavs", "atpakaļ"), and
 * reading phone numbers.
 * @module
 */
import { fold } from "../nlp/normalize.js";
import { MESSAGES } from "./messages.js";
import { LANGS } from "./types.js";

const simplified = new Map<string, string>();

/** Folds typed text for comparison with labels: no emoji, punctuation or case. */
export function simplify(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}' ]+/gu, " ").replace(/\s+/g, " ").trim();
}

/** {@link simplify} for labels and fixed texts, memoised (never used for what residents type). */
export function simplifyLabel(label: string): string {
  let value = simplified.get(label);
  if (value === undefined) {
    if (simplified.size >= 5000) simplified.clear();
    value = simplify(label);
    simplified.set(label, value);
  }
  return value;
}

/** The standard step words residents type instead of pressing a button. */
export type StepWord = keyof (typeof MESSAGES)["lv"]["words"];

/** True when simplified text is one of the fixed words for `key` in any language. */
export function isWord(simple: string, key: StepWord): boolean {
  return simple !== "" && LANGS.some((l) => MESSAGES[l].words[key].includes(simple));
}

/** True when simplified text equals one of the labels (simplified). */
export function isLabel(simple: string, labels: readonly string[]): boolean {
  return simple !== "" && labels.some((label) => simplifyLabel(label) === simple);
}

/** True when text has something to read (a letter or a digit). */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** A Latvian phone number as +371XXXXXXXX, or undefined. */
export function normalisePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s().-]/g, "");
  const m = /^(?:\+?371|00371)?([2-9]\d{7})$/.exec(digits);
  return m ? `+371${m[1]}` : undefined;
}
