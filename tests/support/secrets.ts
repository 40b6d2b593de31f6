/**
 * Personal data in the many spellings residents and staff type, for property-based tests:
 * Latvian personal codes (old and new, with hyphens, dashes, spaces, a "PK" prefix), IBANs (any
 * case, grouped or not) and Luhn-valid card numbers (grouped by spaces, dashes or dots), in
 * ASCII or fullwidth digits. `canonical` is what must never be found again once masked.
 */
import fc from "fast-check";

/** A generated piece of personal data. */
export interface Secret {
  readonly kind: "code" | "iban" | "card";
  /** As typed. */
  readonly text: string;
  /** Digits (and IBAN letters, upper case) only: what must not survive masking. */
  readonly canonical: string;
}

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number): fc.Arbitrary<string> => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));
const two = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => String(n).padStart(2, "0"));
const fullwidth = (s: string): string => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const dashes = ["", "-", " ", "–", "—", "‑", "−", "－", "  ", " - "] as const;

/** What is left when every separator is taken out and every digit is ASCII: the value itself. */
export function canonical(text: string): string {
  return text.replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/[^A-Za-z0-9]/g, "").toUpperCase();
}

/** A Latvian personal code: old DDMMYY-CNNNN or new 32…–39…, in many spellings. */
export const personalCode: fc.Arbitrary<Secret> = fc.record({
  old: fc.boolean(),
  dd: two(1, 31), mm: two(1, 12), yy: two(0, 99), century: fc.integer({ min: 0, max: 2 }).map(String), rest: digits(4),
  second: fc.integer({ min: 2, max: 9 }).map(String), tail: digits(9),
  sep: fc.constantFrom(...dashes),
  prefix: fc.constantFrom("", "PK ", "PK-", "pk:", "p.k. "),
  wide: fc.boolean(),
}).map((r) => {
  const value = r.old ? `${r.dd}${r.mm}${r.yy}${r.sep}${r.century}${r.rest}` : `3${r.second}${r.tail.slice(0, 4)}${r.sep}${r.tail.slice(4)}`;
  const text = `${r.prefix}${r.wide ? fullwidth(value) : value}`;
  return { kind: "code" as const, text, canonical: canonical(value) };
});

/** A Latvian IBAN (LVkk BANK 13 digits), upper or lower case, grouped by fours or not. */
export const iban: fc.Arbitrary<Secret> = fc.record({
  check: digits(2), bank: fc.constantFrom("HABA", "UNLA", "PARX", "RIKO", "NDEA", "BANK"), account: digits(13),
  lower: fc.boolean(), grouping: fc.constantFrom("", " ", "  ", "-"),
}).map((r) => {
  const plain = `LV${r.check}${r.bank}${r.account}`;
  const grouped = r.grouping === "" ? plain : plain.match(/.{1,4}/g)?.join(r.grouping) ?? plain;
  const text = r.lower ? grouped.toLowerCase() : grouped;
  return { kind: "iban" as const, text, canonical: plain };
});

/** A Luhn check digit for `body`. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid card number of 13–19 digits, grouped by fours with spaces, dashes, dots or not at all. */
export const cardNumber: fc.Arbitrary<Secret> = fc.record({
  length: fc.integer({ min: 13, max: 19 }), first: fc.constantFrom("4", "5", "2", "3", "6"), body: digits(18),
  grouping: fc.constantFrom("", " ", "  ", "-", ".", " - "), wide: fc.boolean(),
}).map((r) => {
  const head = `${r.first}${r.body}`.slice(0, r.length - 1);
  const value = `${head}${luhnDigit(head)}`;
  const grouped = r.grouping === "" ? value : value.match(/.{1,4}/g)?.join(r.grouping) ?? value;
  return { kind: "card" as const, text: r.wide ? fullwidth(grouped) : grouped, canonical: value };
});

/** Any of the three. */
export const secret: fc.Arbitrary<Secret> = fc.oneof(personalCode, iban, cardNumber);

/** Words around the data, as residents write (never digits or letters glued to it). */
export const around: fc.Arbitrary<[string, string]> = fc.tuple(
  fc.constantFrom("Mans kods ir ", "konts: ", "karte ", "Мой код ", "(", "Lūdzu, pārbaudiet ", "my card is ", ""),
  fc.constantFrom(".", ", paldies!", ")", " — vai tā var?", "", "\n"),
);

/** True when `haystack` (any text) still holds the value of `s`, in any spelling. */
export function survives(haystack: string, s: Secret): boolean {
  return canonical(haystack).includes(s.canonical);
}
