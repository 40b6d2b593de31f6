/**
 * Comparing what residents type with button labels and fixed words ("gatavs", "atpakaļ"), and
 * reading phone numbers.
 * @module
 */
import { memoize } from "../nlp/memo.js";
import { fold } from "../nlp/normalize.js";
import { MESSAGES } from "./messages.js";
import { LANGS, type Lang } from "./types.js";

const simplified = memoize(5000, (label) => simplify(label));

/** Folds typed text for comparison with labels: no emoji, punctuation or case. */
export function simplify(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}' ]+/gu, " ").replace(/\s+/g, " ").trim();
}

/** {@link simplify} for labels and fixed texts, memoised (never used for what residents type). */
export function simplifyLabel(label: string): string {
  return simplified(label);
}

/** The standard step words residents type instead of pressing a button. */
export type StepWord = keyof (typeof MESSAGES)["lv"]["words"];

/** How long a label is on a button: in code points (an emoji is one), not UTF-16 units. */
export function labelLength(label: string): number {
  let length = 0;
  for (const _ of label) length++;
  return length;
}

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

/** Asking to delete one's data, in simplified text (short messages only). */
const FORGET = [
  // lv: (iz)dzēsiet / dzēst / nodzēsiet … manus datus / manu sarunu / mani
  /(?:^| )(?:iz|no)?dzes\S*(?: \S+){0,2} (?:(?:visus )?(?:manus|manu|savus|savu) (?:dat|sarun|informacij|vestur|sarakst)\S*|mani|visu par mani)(?: |$)/u,
  // ru: удалите / удалить / сотрите … мои данные / переписку / обо мне
  /(?:^| )(?:удал|сотр|стер)\S*(?: \S+){0,2} (?:(?:все )?(?:мои|мою|моих|мой) (?:данн|переписк|разговор|истори|информаци|сообщени)\S*|меня|всё обо мне|все обо мне|обо мне)(?: |$)/u,
  // en: delete / erase / remove / forget … my data / conversation / chat / me
  /(?:^| )(?:delete|erase|remove|forget|wipe)(?: \S+){0,2} (?:(?:all )?my (?:data|details|conversation|chat|history|information|messages)|me|everything about me|all about me)(?: |$)/u,
];

/**
 * The language of a (simplified) message that asks to delete the resident's data ("izdzēsiet
 * manus datus", "удалите мои данные", "delete my data"), or undefined.
 */
export function asksToForget(simple: string): Lang | undefined {
  if (simple.split(" ").length > 10) return undefined;
  const i = FORGET.findIndex((re) => re.test(simple));
  return i >= 0 ? LANGS[i] : undefined;
}
