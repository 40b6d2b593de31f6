/**
 * Stories: residents often write several sentences of situation with the question at the end
 * ("Labdien! Esmu pensionāre … Kā to izdarīt?"), naming other topics in passing. This finds
 * what is asked — sentences with a question mark, the ones that start with a question or
 * request word, imperatives ("palīdziet", "подскажите", "help me") — so that its words weigh
 * more than the story's.
 * @module
 */
import { fold } from "./normalize.js";

/** One sentence of a message and whether it carries the request. */
export interface Sentence {
  readonly text: string;
  readonly focus: boolean;
}

/** Messages with at most this many words are taken whole (no story to separate). */
const SHORT_MESSAGE = 12;

/** Folded words that open a question or a request. */
const QUESTION_STARTS = new Set([
  // lv
  "ka", "kur", "ko", "vai", "kad", "cik", "kapec", "kadel", "kas", "kura", "kuru", "kurs", "kurai", "kadu", "kada", "kadi",
  "ludzu", "gribu", "gribetu", "velos", "vajag", "vajadzetu", "jadara", "nezinu", "nesaprotu", "palidziet", "pasakiet",
  "sakiet", "paskaidrojiet", "iesakiet", "paradiet", "macat",
  // ru
  "как", "где", "что", "куда", "когда", "сколько", "почему", "зачем", "какой", "какая", "какие", "какое", "кто", "чем",
  "можно", "нужно", "надо", "могу", "можете", "подскажите", "помогите", "скажите", "объясните", "посоветуйте",
  "хочу", "хотела", "хотел", "пожалуйста",
  "kak", "gde", "chto", "kuda", "kogda", "skolko", "pochemu", "mozhno", "nuzhno", "nado", "podskazhite", "pomogite", "hochu",
  // en
  "how", "where", "what", "when", "which", "who", "why", "can", "could", "do", "does", "is", "are", "should", "will",
  "please", "help", "tell", "explain", "want", "need", "would",
]);

/** Imperative endings of polite requests: lv "-iet" (palīdziet), ru "-ите"/"-айте" (подскажите). */
const IMPERATIVE = /^(?:\p{L}+iet|\p{L}+(?:ите|айте|яйте))$/u;

/** Splits a message into sentences (at . ! ? … and line breaks), keeping their punctuation. */
export function sentences(text: string): string[] {
  const parts = text.match(/[^.!?…\n]+(?:[.!?…]+|\n|$)/gu) ?? [];
  return parts.map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p));
}

const words = (sentence: string): string[] => fold(sentence).match(/[\p{L}\p{N}]+/gu) ?? [];

function asks(sentence: string): boolean {
  if (/\?\s*$/.test(sentence)) return true;
  const w = words(sentence);
  // A greeting first: "Labdien, kā …" — look at the next words too.
  const first = w.slice(0, 3);
  return first.some((x, i) => QUESTION_STARTS.has(x) || (i < 2 && IMPERATIVE.test(x)));
}

/**
 * The sentences of a message, each marked as carrying the request or as story. A short
 * message is all focus; otherwise the asking sentences are, or the last one when none asks.
 * @example storyParts("Man ir 81 gads. Kur tuvumā ir birojs?") // [{…, focus:false}, {…, focus:true}]
 */
export function storyParts(text: string): Sentence[] {
  const list = sentences(text);
  const total = list.reduce((n, s) => n + words(s).length, 0);
  if (list.length <= 1 || total <= SHORT_MESSAGE) return list.map((s) => ({ text: s, focus: true }));
  const marks = list.map(asks);
  if (!marks.some(Boolean)) marks[marks.length - 1] = true;
  return list.map((s, i) => ({ text: s, focus: marks[i] === true }));
}
