import { describe, expect, it } from "vitest";
import { maskPersonalData } from "../../src/core/privacy.js";

describe("maskPersonalData", () => {
  it.each([
    ["010190-12345", "[personas kods]"],
    ["01019012345", "[personas kods]"],
    ["321234-56789", "[personas kods]"],
    ["32123456789", "[personas kods]"],
  ])("masks the personal code %s", (code, masked) => {
    expect(maskPersonalData(`kods: ${code}.`)).toBe(`kods: ${masked}.`);
  });
  it("masks IBANs and card numbers that pass the Luhn check", () => {
    expect(maskPersonalData("LV80BANK0000435195001")).toBe("[IBAN]");
    expect(maskPersonalData("4111-1111-1111-1111")).toBe("[kartes numurs]");
  });
  it("keeps phone numbers, dates, amounts and ordinary numbers", () => {
    const text = "Zvaniet 63022238 vai 26009600, līdz 15.11.2026, summa 1000 EUR, numurs 1234567890123";
    expect(maskPersonalData(text)).toBe(text);
  });
});
