/**
 * A resident's message prepared for retrieval: tidied (repeated letters, look-alike letters of
 * the other script), Latin-typed Russian read in Cyrillic, split into the request and the story
 * around it, and analysed into weighted words. Each word may have several forms (the Cyrillic
 * reading and the Latin original of "deklaraciju"; the joined and split forms of "e-rēķins");
 * a word counts as matched when any of its forms matches.
 * @module
 */
import type { Lang } from "../core/types.js";
import { cyrillicQuery, russianLexicon, type Vocabulary } from "./language.js";
import { fold, tidy } from "./normalize.js";
import { analyze, type StemMode } from "./stem.js";
import { storyParts } from "./story.js";

/** Weight of a word in the story around the request (the request's words weigh 1). */
export const STORY_WEIGHT = 0.35;

/** One word of the query: its analysed forms and its weight. */
export interface QueryWord {
  readonly forms: readonly string[];
  readonly weight: number;
}

/** A prepared query. */
export interface Query {
  readonly lang: Lang;
  readonly words: readonly QueryWord[];
  /** The text that was analysed (Cyrillic for Latin-typed Russian). */
  readonly text: string;
}

/** Options for {@link prepareQuery}. */
export interface QueryOptions {
  readonly stem?: StemMode;
  /** The message is Russian typed in Latin letters: read it in Cyrillic too. */
  readonly translit?: boolean;
  readonly vocab?: Vocabulary;
}

/**
 * Prepares a message for retrieval in `lang`.
 * @example prepareQuery("kak oplatit nalog", "ru", { translit: true }).text // "как оплатит налог"
 */
export function prepareQuery(message: string, lang: Lang, options: QueryOptions = {}): Query {
  const mode = options.stem ?? "light";
  // "e adrese", "e rēķins", "e paraksts": a lone Latin "e" before a word is the "e-" of a service.
  const text = tidy(message).replace(/(^|[^\p{L}\p{N}-])[eE]\s+(?=\p{Script=Latin}{3,})/gu, "$1e-");
  const byForm = new Map<string, number>();
  const words: QueryWord[] = [];
  const add = (forms: string[], weight: number): void => {
    const unique = [...new Set(forms)].filter((f) => f.length > 0);
    if (unique.length === 0) return;
    // The same word twice: keep its highest weight once.
    const seen = unique.map((f) => byForm.get(f)).find((i) => i !== undefined);
    const word = seen === undefined ? undefined : words[seen];
    if (seen !== undefined && word !== undefined) {
      if (weight > word.weight) words[seen] = { ...word, weight };
      return;
    }
    for (const f of unique) byForm.set(f, words.length);
    words.push({ forms: unique, weight });
  };
  const lexicon = russianLexicon(options.vocab);
  const shown: string[] = [];
  for (const part of storyParts(text)) {
    const weight = part.focus ? 1 : STORY_WEIGHT;
    const sentence = options.translit ? cyrillicQuery(part.text, options.vocab) : part.text;
    shown.push(sentence);
    const originals = options.translit ? part.text.split(/\s+/) : [];
    const converted = options.translit ? sentence.split(/\s+/) : part.text.split(/\s+/);
    converted.forEach((token, i) => {
      const forms = analyze(token, lang, mode);
      if (forms.length === 0) return;
      const original = originals[i];
      // A Latin word read in Cyrillic keeps its Latin form too (a Latvian term or a name).
      if (original !== undefined && original !== token && /[a-z]/i.test(original) && !lexicon.knows(fold(token).replace(/[^\p{L}]+/gu, ""))) {
        const latin = analyze(original, lang, mode).filter((f) => f.length > 3);
        add([...forms, ...latin], weight);
      } else {
        add(forms, weight);
      }
    });
  }
  return { lang, words, text: shown.join(" ") };
}
