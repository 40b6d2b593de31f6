/**
 * Text from outside (messages, captions, names, button data, staff replies) made safe to store
 * and show: NUL characters are removed (PostgreSQL text cannot hold them) and lone UTF-16
 * surrogates — half of an emoji, cut binary — become U+FFFD, the replacement character.
 * Every channel applies it at the edge; the store applies it again to whatever it writes.
 * @module
 */

// eslint-disable-next-line no-control-regex -- the point is to find NUL characters
const NUL = /\u0000/g;

/** `text` without NUL characters and with lone surrogates replaced by U+FFFD. */
export function sanitizeText(text: string): string {
  const noNul = text.includes("\u0000") ? text.replace(NUL, "") : text;
  // `toWellFormed` replaces each lone surrogate with U+FFFD.
  return noNul.isWellFormed() ? noNul : noNul.toWellFormed();
}

/** {@link sanitizeText} applied to every string inside a JSON-like value. */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === "string") return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => sanitizeDeep(v)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitizeText(k), sanitizeDeep(v)])) as T;
  }
  return value;
}

/** A JSON.stringify replacer that sanitizes every string (cheaper than copying first). */
export function sanitizingReplacer(_key: string, value: unknown): unknown {
  return typeof value === "string" ? sanitizeText(value) : value;
}

/**
 * `JSON.stringify(value, sanitizingReplacer)`, without calling the replacer for every value when
 * nothing needs it: JSON escapes a NUL or a lone surrogate as `\u…`, so output without any `\u`
 * holds neither, and is the same as the sanitized one.
 */
export function sanitizedJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\u") ? JSON.stringify(value, sanitizingReplacer) : json;
}
