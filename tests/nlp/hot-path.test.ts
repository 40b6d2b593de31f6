/**
 * The faster forms of the text analysis every message goes through give exactly what the plain
 * forms gave: each is compared here with a plain copy (the code as it was written first) on
 * generated text mixing Latin, Latvian, Cyrillic, digits, joiners and emoji.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildVocabulary } from "../../src/knowledge/knowledge.js";
import { correctEnglish, ENGLISH_LOOKALIKES } from "../../src/nlp/intents.js";
import { detectLanguage } from "../../src/nlp/language.js";
import { fold, surfaceTerms, tidy, tokenize, type Token } from "../../src/nlp/normalize.js";
import { shippedAssistant, shippedKnowledge } from "../helpers.js";

/** Pieces residents' messages are made of, so that generated text hits every branch. */
const PIECES = [
  "e", "э", "E", " ", "  ", "-", "‐", "–", "'", "’", ".", ",", "?", "\n", "0", "7", "2026", "👍", "ё", "й",
  "ka", "sanemt", "rēķinu", "Paaaldies", "ооочень", "cчёт", "e-аdrese", "смарт", "Smart-ID", "latvija.lv", "don't",
  "call", "cal", "persn", "tlak", "operater", "speek", "humna", "wnat", "please", "alive", "agenda", "stuff", "hello",
  "как", "подать", "kak", "oplatit", "nalog", "zvonili", "iz", "banka", "ﬁ", "Ａ", "re\u0304k\u0327ins", "ĀČĒ",
];
const message = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join("")),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join(" ")),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("a", "б", "ā", "-", " ", ".", "e", "э", "1"), maxLength: 20 }),
);

// ---- The plain versions ----------------------------------------------------------------------

const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у", k: "к", m: "м", t: "т", b: "в", h: "н",
  A: "А", C: "С", E: "Е", O: "О", P: "Р", X: "Х", Y: "У", K: "К", M: "М", T: "Т", B: "В", H: "Н",
};
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC).filter(([l]) => !"bhBHy".includes(l)).map(([l, c]) => [c, l]),
);

function plainTidy(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/(\p{L})\1{2,}/gu, "$1")
    .replace(/[\p{L}]+/gu, (word) => {
      const cyr = (word.match(/\p{Script=Cyrillic}/gu) ?? []).length;
      const lat = (word.match(/\p{Script=Latin}/gu) ?? []).length;
      if (cyr === 0 || lat === 0) return word;
      const table = cyr >= lat ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
      return word.replace(/./gu, (ch) => table[ch] ?? ch);
    });
}

function plainTokenize(text: string): Token[] {
  const words = fold(text).match(/[\p{L}\p{N}]+(?:[-‐‑–'’.][\p{L}\p{N}]+)*/gu) ?? [];
  const tokens: Token[] = [];
  const rest = words.values();
  for (let word of rest) {
    if (word === "e" || word === "э") {
      const next = rest.next();
      if (!next.done) word = `${word}-${next.value}`;
    }
    const parts = word.split(/[-‐‑–'’.]/).filter((p) => p.length > 0);
    tokens.push({ joined: parts.join(""), parts: parts.length > 1 ? parts : [] });
  }
  return tokens;
}

function plainSurfaceTerms(text: string): string[] {
  return plainTokenize(text).flatMap((t) => [t.joined, ...t.parts.filter((p) => p.length > 1)]);
}

const KEYWORDS = [
  "person", "human", "someone", "somebody", "operator", "agent", "staff", "employee", "representative", "consultant",
  "people", "speak", "talk", "connect", "transfer", "please", "call", "phone", "real", "live", "actual", "want",
];

/** Optimal string alignment distance, the whole table. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] ?? [])[j] = v;
    }
  }
  return at(a.length, b.length);
}

function plainCorrectEnglish(folded: string): string {
  const longest = Math.max(...KEYWORDS.map((k) => k.length)) + 2;
  return folded.replace(/\p{L}+/gu, (word) => {
    if (word.length < 3 || word.length > longest || !/^[a-z]+$/.test(word) || ENGLISH_LOOKALIKES.has(word) || KEYWORDS.includes(word)) return word;
    let best = word;
    let bestDistance = Infinity;
    for (const k of KEYWORDS) {
      const max = k.length >= 8 ? 2 : 1;
      if (k.length < 4 && word.length < 4) continue;
      const dist = distance(word, k);
      if (dist <= max && dist < bestDistance) {
        best = k;
        bestDistance = dist;
      }
    }
    return best;
  });
}

// ---- The properties --------------------------------------------------------------------------

describe("text analysis on the hot path equals the plain version", () => {
  it("tidy", () => {
    fc.assert(fc.property(message, (text) => {
      expect(tidy(text)).toBe(plainTidy(text));
    }), { numRuns: 3000 });
  });

  it("tokenize and surfaceTerms, also when asked again (from the cache) and after other texts", () => {
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 40 }), (texts) => {
      for (const text of [...texts, ...texts.toReversed()]) {
        expect(tokenize(text)).toEqual(plainTokenize(text));
        expect(surfaceTerms(text)).toEqual(plainSurfaceTerms(text));
      }
    }), { numRuns: 500 });
  });

  it("correctEnglish, also for words seen before", () => {
    const word = fc.string({ unit: fc.constantFrom(..."aceghiklmnoprstuvwy".split("")), minLength: 1, maxLength: 19 });
    fc.assert(fc.property(fc.array(fc.oneof(word, message, fc.constantFrom(...KEYWORDS)), { maxLength: 6 }), (parts) => {
      const folded = fold(parts.join(" "));
      expect(correctEnglish(folded)).toBe(plainCorrectEnglish(folded));
      expect(correctEnglish(folded)).toBe(plainCorrectEnglish(folded));
    }), { numRuns: 2000 });
  });

  it("detectLanguage counts the Cyrillic letters of a mostly Cyrillic text", async () => {
    const vocab = buildVocabulary(await shippedKnowledge());
    fc.assert(fc.property(message, (text) => {
      const letters = text.match(/\p{L}/gu) ?? [];
      const cyrillic = letters.filter((c) => /\p{Script=Cyrillic}/u.test(c)).length;
      const detection = detectLanguage(text, vocab);
      if (letters.length > 0 && cyrillic / letters.length >= 0.5) expect(detection).toEqual({ lang: "ru", scores: { lv: 0, ru: cyrillic, en: 0 } });
      // Otherwise (falling back to Latvian) only Latin-typed Russian is Russian.
      else expect(detection.lang !== "ru" || detection.translit === true).toBe(true);
    }), { numRuns: 3000 });
  });

  it("the assistant's remembered detection is the detection of the text asked about", async () => {
    const assistant = await shippedAssistant();
    const vocab = buildVocabulary(await shippedKnowledge());
    const lang = fc.constantFrom("lv" as const, "ru" as const, "en" as const);
    fc.assert(fc.property(fc.array(fc.tuple(fc.oneof(message, fc.constant("kak oplatit nalog")), lang), { minLength: 1, maxLength: 10 }), (asks) => {
      // Each text twice in a row (as a turn asks), then the next one.
      for (const [text, fallback] of asks.flatMap((a) => [a, a])) {
        expect(assistant.detection(text, { lang: fallback })).toEqual(detectLanguage(tidy(text), vocab, fallback));
      }
    }), { numRuns: 300 });
  });
});
