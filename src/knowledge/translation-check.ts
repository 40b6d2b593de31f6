/**
 * Translations that are still a copy of another language: a new translation starts in the console
 * as the guide's text in another language (only `lang:` changed), and it must not go live like
 * that. The check reads the language of the prose by its script and function words — enough to
 * tell Latvian, Russian and English guides apart — and compares sections with the same anchor.
 * @module
 */
import type { Lang } from "../core/types.js";
import type { Diagnostic } from "./diagnostics.js";
import type { Guide } from "./guide.js";

/** Language names as the check's messages use them. */
const NAME: Record<Lang, string> = { lv: "Latvian", ru: "Russian", en: "English" };

/** English function words: common in any English prose, rare in Latvian or Russian. */
const ENGLISH_WORDS = new Set(["the", "and", "you", "your", "to", "of", "is", "in", "for", "with", "it", "on", "if", "or", "a"]);

/** Fewer letters than this say nothing about a text's language. */
const MIN_LETTERS = { guide: 200, section: 40 } as const;

/**
 * The language a text is written in, by its letters: mostly Cyrillic → Russian; else many English
 * function words → English; else Latvian. Web and e-mail addresses are left out. Undefined for a
 * text with fewer than `minLetters` letters. (The shipped guides are far from the thresholds:
 * Russian ones are ≥ 80 % Cyrillic, English ones have ≥ 25 % function words, Latvian ≤ 1.1 %.)
 */
export function proseLanguage(text: string, minLetters: number = MIN_LETTERS.section): Lang | undefined {
  const prose = text.replace(/https?:\/\/\S+|\S+@\S+/g, " ");
  const letters = (prose.match(/\p{L}/gu) ?? []).length;
  if (letters < minLetters) return undefined;
  const cyrillic = (prose.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  if (cyrillic / letters > 0.5) return "ru";
  const words = prose.toLowerCase().match(/\p{L}+/gu) ?? [];
  const english = words.filter((w) => ENGLISH_WORDS.has(w)).length;
  return english / Math.max(1, words.length) > 0.12 ? "en" : "lv";
}

const same = (a: string, b: string): boolean => a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim();

/**
 * Errors for the versions of one guide (one per language) that are still untranslated copies:
 * - a section with the same text as in another language, in the version whose language that text
 *   is not (at the section's line), and then the title too when it is the same;
 * - a version whose prose as a whole reads as another language (at its first body line), unless
 *   its sections were already reported.
 */
export function untranslatedCopies(versions: readonly { lang: Lang; guide: Guide }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { lang, guide } of versions) {
    const error = (line: number, message: string): void => {
      out.push({ file: guide.file, line, severity: "error", message });
    };
    const before = out.length;
    for (const { lang: other, guide: source } of versions) {
      if (other === lang) continue;
      for (const section of guide.sections) {
        const match = source.sections.find((s) => s.anchor === section.anchor);
        if (!match || !same(section.body, match.body)) continue;
        const written = proseLanguage(section.body);
        if (written === undefined || written === lang) continue;
        error(section.line, `section {#${section.anchor}} is the same text as in ${source.file} (line ${match.line}), still in ${NAME[written]}: translate it into ${NAME[lang]}`);
      }
      if (out.length > before && same(guide.title, source.title)) {
        error(guide.lines.title ?? 1, `title is the same as in ${source.file}: translate it into ${NAME[lang]}`);
      }
    }
    if (out.length > before) continue;
    const whole = [guide.title, guide.summary, ...guide.sections.map((s) => `${s.heading}\n${s.body}`)].join("\n");
    const written = proseLanguage(whole, MIN_LETTERS.guide);
    if (written !== undefined && written !== lang) {
      error(guide.lines.body ?? 1, `the text reads as ${NAME[written]}, not ${NAME[lang]}: translate it before publishing (a new translation starts as a copy of the other language's text)`);
    }
  }
  return out;
}
