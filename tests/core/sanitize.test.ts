import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizedJson, sanitizeText, sanitizingReplacer } from "../../src/core/sanitize.js";

describe("sanitizedJson", () => {
  it.each([
    ["plain text", { text: "Labdien! Kā saņemt e-rēķinu? 👍" }],
    ["a NUL byte", { text: "a\u0000b", nested: [{ label: "\u0000" }] }],
    ["a lone surrogate", { text: "half \uD83D of an emoji", other: "\uDC00" }],
    ["a backslash and a u typed by a resident", { text: "C:\\users\\u0000x" }],
    ["another control character", { text: "bell\u0007" }],
  ])("writes the same JSON as the sanitizing replacer for %s", (_name, value) => {
    expect(sanitizedJson(value)).toBe(JSON.stringify(value, sanitizingReplacer));
  });

  it("never differs from the sanitizing replacer", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, text) => {
      const doc = { value, text, list: [text, { text }] };
      expect(sanitizedJson(doc)).toBe(JSON.stringify(doc, sanitizingReplacer));
    }), { numRuns: 300 });
  });
});

describe("sanitizeText", () => {
  it("equals removing NULs and replacing lone surrogates by a regular expression", () => {
    const unit = fc.oneof(fc.constantFrom("\u0000", "\uD83D", "\uDE00", "\uDBFF", "\uDC00", "a", "ā", "😀"), fc.string({ unit: "binary", maxLength: 1 }));
    fc.assert(fc.property(fc.string({ unit, maxLength: 20 }), (text) => {
      // eslint-disable-next-line no-control-regex -- NUL characters are the point
      const plain = text.replace(/\u0000/g, "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
      expect(sanitizeText(text)).toBe(plain);
    }), { numRuns: 3000 });
  });
});
