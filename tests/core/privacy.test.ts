import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskPersonalData } from "../../src/core/privacy.js";
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
