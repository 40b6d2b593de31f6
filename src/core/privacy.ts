/**
 * Masks personal data before anything is stored or logged: Latvian personal codes
 * (old DDMMYY-CNNNN and new 3X…, hyphen optional), IBANs and payment card numbers.
 * @module
 */

const PERSONAL_CODE = /(?<![\d-])(?:[0-3]\d[01]\d\d{2}-?[012]\d{4}|3[2-9]\d{4}-?\d{5})(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b/g;
const CARD = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;

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
 * Replaces personal codes, IBANs and card numbers with placeholders.
 * @example maskPersonalData("mans kods 010190-12345") // "mans kods [personas kods]"
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(PERSONAL_CODE, "[personas kods]")
    .replace(IBAN, (m) => (/\d{6,}/.test(m.replace(/\s/g, "")) ? "[IBAN]" : m))
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, "")) ? "[kartes numurs]" : m));
}

/** {@link maskPersonalData} applied to every string inside a JSON-like value (session state, payloads). */
export function maskDeep<T>(value: T): T {
  if (typeof value === "string") return maskPersonalData(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => maskDeep(v)) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)])) as T;
  return value;
}
