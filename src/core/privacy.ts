/**
 * Masks personal data before anything is stored or logged: Latvian personal codes (old
 * DDMMYY-CNNNN and new 32…–39…, with or without a hyphen, a dash, a space or a "PK" prefix),
 * IBANs (any letter case, grouped or not) and payment card numbers (grouped by spaces, dashes
 * or dots). Digits of any script (fullwidth ０１２…) count as digits.
 * @module
 */

/** Between the groups of a number: up to three of hyphen/dash/minus variants, spaces (also no-break, thin) or dots. */
const SEP = "[\\s\\u00A0\\u2009\\u202F.\\-\\u2010-\\u2015\\u2212\\uFE63\\uFF0D]{0,3}";
const PERSONAL_CODE = new RegExp(`(?<!\\d)(?:[0-3]\\d[01]\\d\\d{2}${SEP}[012]\\d{4}|3[2-9]\\d{4}${SEP}\\d{5})(?!\\d)`, "g");
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \u00A0-]{0,2}[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/g;
const CARD = new RegExp(`(?<!\\d)\\d(?:${SEP}\\d){12,18}(?!\\d)`, "g");
/** A decimal digit of any script. */
const ANY_DIGIT = /\p{Nd}/gu;
/** A decimal digit of another script than ASCII. */
const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/u;

/** The ASCII digit for a decimal digit of any script (runs of ten code points, zero first). */
function asciiDigit(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  let start = cp;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/** Every non-ASCII decimal digit as its ASCII digit (so that fullwidth or Arabic-Indic digits are matched too). */
function asciiDigits(text: string): string {
  return NON_ASCII_DIGIT.test(text) ? text.replace(ANY_DIGIT, (d) => (d >= "0" && d <= "9" ? d : asciiDigit(d))) : text;
}

/** True when a digit string passes the Luhn check used by payment cards. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * True when `text` has fewer ASCII digits than the shortest number masked (an IBAN's six) and no
 * digits of other scripts: masking would return it unchanged, so it is skipped.
 */
function nothingToMask(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 6) return false;
  }
  return !NON_ASCII_DIGIT.test(text);
}

/**
 * Replaces personal codes, IBANs and card numbers with placeholders.
 * @example maskPersonalData("mans kods 010190-12345") // "mans kods [personas kods]"
 */
export function maskPersonalData(text: string): string {
  if (nothingToMask(text)) return text;
  return asciiDigits(text)
    .replace(IBAN, (m) => (/\d{6,}/.test(m.replace(/[^A-Za-z0-9]/g, "")) ? "[IBAN]" : m))
    .replace(PERSONAL_CODE, "[personas kods]")
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, "")) ? "[kartes numurs]" : m));
}

/**
 * {@link maskPersonalData} applied to every string inside a JSON-like value (session state,
 * payloads). An array or plain object in which nothing needs masking comes back as it is (most
 * do); other objects are copied as plain ones.
 */
export function maskDeep<T>(value: T): T {
  if (typeof value === "string") return maskPersonalData(value) as T;
  if (Array.isArray(value)) return maskArray(value) as T;
  if (value !== null && typeof value === "object") return maskObject(value) as T;
  return value;
}

/** The array with its items masked: itself when none changed. */
function maskArray(value: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const masked = maskDeep(item);
    if (copy) copy.push(masked);
    else if (masked !== item) copy = [...value.slice(0, i), masked];
  }
  return copy ?? value;
}

/** The object's properties masked, as a plain object: itself when it is one and none changed. */
function maskObject(value: object): object {
  const prototype: unknown = Object.getPrototypeOf(value);
  let changed = prototype !== Object.prototype && prototype !== null;
  const entries: [string, unknown][] = Object.entries(value);
  for (const entry of entries) {
    const masked = maskDeep(entry[1]);
    if (masked !== entry[1]) {
      entry[1] = masked;
      changed = true;
    }
  }
  return changed ? Object.fromEntries(entries) : value;
}

const PHONE = /(?<![\p{L}\p{N}+])(?:(?:\+|00)\s?371[\s-]?)?[268](?:[\s-]?\d){7}(?![\p{N}])/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Masks what personal-data masking at storage time leaves: e-mail addresses ("[e-pasts]") and
 * Latvian phone numbers ("[tālrunis]": 8 digits starting with 2, 6 or 8, optionally after +371 or
 * 00371, spaces or hyphens allowed between digits).
 * @example maskContacts("zvaniet +371 29 123 456, raksti a@b.lv") // "zvaniet [tālrunis], raksti [e-pasts]"
 */
export function maskContacts(text: string): string {
  return text.replace(EMAIL, "[e-pasts]").replace(PHONE, "[tālrunis]");
}
