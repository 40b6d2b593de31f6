import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskDeep, maskPersonalData } from "../../src/core/privacy.js";
import { around, secret, survives } from "../support/secrets.js";

describe("maskPersonalData", () => {
  it.each([
    ["010190-12345", "[personas kods]"],
    ["01019012345", "[personas kods]"],
    ["321234-56789", "[personas kods]"],
    ["32123456789", "[personas kods]"],
  ])("masks the personal code %s", (code, masked) => {
    expect(maskPersonalData(`kods: ${code}.`)).toBe(`kods: ${masked}.`);
  });
  it("leaves texts with fewer than six digits as they are, still reading other scripts' digits as ASCII ones", () => {
    for (const text of ["Labdien! Kā saņemt e-rēķinu?", "zvaniet 112", "12345 un vēl", "гражданин 2024 г."]) expect(maskPersonalData(text)).toBe(text);
    expect(maskPersonalData("numurs ３４")).toBe("numurs 34");
    expect(maskPersonalData("kods ０１０１９０-１２３４５")).toBe("kods [personas kods]");
  });
  it("masks IBANs and card numbers that pass the Luhn check", () => {
    expect(maskPersonalData("LV80BANK0000435195001")).toBe("[IBAN]");
    expect(maskPersonalData("4111-1111-1111-1111")).toBe("[kartes numurs]");
  });
  it.each([
    ["lv80bank0000435195001", "[IBAN]"],
    ["LV80 BANK 0000 4351 9500 1", "[IBAN]"],
    ["kods 010190 12345", "kods [personas kods]"],
    ["kods 010190–12345", "kods [personas kods]"],
    ["PK-010190-12345", "PK-[personas kods]"],
    ["4111.1111.1111.1111", "[kartes numurs]"],
    ["4111  1111  1111  1111", "[kartes numurs]"],
    ["０１０１９０-１２３４５", "[personas kods]"],
  ])("masks the spelling %s", (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
  it("keeps phone numbers, dates, amounts and ordinary numbers", () => {
    const text = "Zvaniet 63022238 vai 26009600, līdz 15.11.2026, summa 1000 EUR, numurs 1234567890123";
    expect(maskPersonalData(text)).toBe(text);
  });
});

describe("maskPersonalData on generated personal data (fast-check)", () => {
  it("masks personal codes, IBANs and card numbers in every spelling", () => {
    fc.assert(fc.property(secret, around, (s, [before, after]) => {
      const masked = maskPersonalData(`${before}${s.text}${after}`);
      expect(masked, s.text).toMatch(/\[(personas kods|IBAN|kartes numurs)\]/);
      expect(survives(masked, s), `${s.text} → ${masked}`).toBe(false);
    }), { numRuns: 2000 });
  });

  it("masks several of them in one text, and masking twice changes nothing more", () => {
    fc.assert(fc.property(fc.array(fc.tuple(secret, around), { minLength: 1, maxLength: 5 }), (items) => {
      const text = items.map(([s, [before, after]]) => `${before}${s.text}${after}`).join(" un ");
      const masked = maskPersonalData(text);
      for (const [s] of items) expect(survives(masked, s), `${s.text} in ${masked}`).toBe(false);
      expect(maskPersonalData(masked)).toBe(masked);
    }), { numRuns: 500 });
  });

  it("never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => {
      expect(typeof maskPersonalData(text)).toBe("string");
    }), { numRuns: 1000 });
  });
});

/** maskPersonalData as first written: every non-ASCII text has its digits read as ASCII ones. */
function plainMask(text: string): string {
  const sep = "[\\s\\u00A0\\u2009\\u202F.\\-\\u2010-\\u2015\\u2212\\uFE63\\uFF0D]{0,3}";
  const personalCode = new RegExp(`(?<!\\d)(?:[0-3]\\d[01]\\d\\d{2}${sep}[012]\\d{4}|3[2-9]\\d{4}${sep}\\d{5})(?!\\d)`, "g");
  const card = new RegExp(`(?<!\\d)\\d(?:${sep}\\d){12,18}(?!\\d)`, "g");
  const digit = (d: string): string => {
    const cp = d.codePointAt(0) ?? 0;
    let start = cp;
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  };
  const luhn = (digits: string): boolean => digits.split("").reverse().reduce((sum, c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    return sum + (d > 9 ? d - 9 : d);
  }, 0) % 10 === 0;
  const ascii = /[\u0080-\uFFFF]/.test(text) ? text.replace(/\p{Nd}/gu, (d) => (d >= "0" && d <= "9" ? d : digit(d))) : text;
  return ascii
    .replace(/(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \u00A0-]{0,2}[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/g, (m) => (/\d{6,}/.test(m.replace(/[^A-Za-z0-9]/g, "")) ? "[IBAN]" : m))
    .replace(personalCode, "[personas kods]")
    .replace(card, (m) => (luhn(m.replace(/\D/g, "")) ? "[kartes numurs]" : m));
}

/** maskDeep as first written: every array and object copied. */
function plainMaskDeep(value: unknown): unknown {
  if (typeof value === "string") return plainMask(value);
  if (Array.isArray(value)) return value.map((v: unknown) => plainMaskDeep(v));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainMaskDeep(v)]));
  return value;
}

/** Text with digits of several scripts (ASCII, fullwidth, Arabic-Indic, mathematical) around secrets. */
const digits = fc.string({ unit: fc.constantFrom("0", "1", "4", "9", "０", "３", "٣", "𝟎", "𝟗", " ", "-", ".", "ā", "L", "V", "k", "😀"), maxLength: 30 });
const text = fc.oneof(digits, fc.tuple(secret, around).map(([s, [before, after]]) => `${before}${s.text}${after}`), fc.string({ unit: "binary", maxLength: 20 }));

describe("the faster masking equals the plain version (fast-check)", () => {
  it("maskPersonalData", () => {
    fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (parts) => {
      const t = parts.join(" ");
      expect(maskPersonalData(t)).toBe(plainMask(t));
    }), { numRuns: 3000 });
  });

  it("maskDeep writes the same JSON and returns a value with nothing to mask as it is", () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.constant(null), fc.boolean(), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 4 }), tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(value, (v) => {
      const masked = maskDeep(v);
      const plain = plainMaskDeep(v);
      expect(JSON.stringify(masked)).toBe(JSON.stringify(plain));
      if (JSON.stringify(plain) === JSON.stringify(v) && typeof v === "object" && v !== null) expect(masked).toBe(v);
    }), { numRuns: 1000 });
    const date = new Date(0);
    expect(JSON.stringify(maskDeep({ at: date }))).toBe(JSON.stringify(plainMaskDeep({ at: date })));
  });
});
