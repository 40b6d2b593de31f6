/**
 * Turns guide markdown into channel-neutral plain text replies (channels escape and format).
 * @module
 */
import { MAX_REPLY_LENGTH } from "../core/types.js";

/**
 * Markdown → plain text: emphasis and code marks dropped, links shown as "text (url)",
 * bullets as "•". Numbered steps stay as they are.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\((\S+?)\)/g, (_m, text: string, url: string) => (text === url ? url : `${text} (${url})`))
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^\s*[-*]\s+/gm, "• ")
    .replace(/^#{1,6}\s+(.+?)\s*(\{#[^}]*\})?\s*$/gm, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Splits text into chunks of at most `max` characters, at paragraph boundaries where possible,
 * then at line ends, then at spaces; never cuts inside a word unless a word is longer than `max`.
 */
export function splitText(text: string, max = MAX_REPLY_LENGTH): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf("\n\n");
    if (cut < max / 3) cut = window.lastIndexOf("\n");
    if (cut < max / 3) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}
