/* global document, URL */
/**
 * How DigiPalīgs shows a bot text in the browser (the web chat and the staff console's preview):
 * one block per line with the spacing kept, numbered steps and bullets marked, the guide title
 * and the source line styled, and web addresses, e-mail addresses and Latvian phone numbers made
 * into links — all built as DOM nodes, never as HTML.
 */

import { el } from "./dom.js";

// 1: web address, 2: e-mail address, 3: what precedes a phone number, 4: the phone number.
const LINK_RE = /(https?:\/\/[^\s<>"«»]+|www\.[^\s<>"«»]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|(^|[^\d+/.-])((?:\+371[ -]?)?(?:[26]\d{7}|80\d{6}))(?![\d-])/g;
const TRAILING = /[.,;:!?'"”’»)\]}]$/;

function trimUrl(url) {
  let out = url;
  while (TRAILING.test(out)) {
    const last = out.charAt(out.length - 1);
    if (last === ")" && (out.split("(").length > out.split(")").length - 1)) break;
    out = out.slice(0, -1);
  }
  return out;
}

function safeWebHref(raw) {
  try {
    const url = new URL(raw.indexOf("www.") === 0 ? `https://${raw}` : raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function link(href, text, external, newTabNote) {
  const a = el("a", "", text);
  a.href = href;
  if (external) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (newTabNote) a.appendChild(el("span", "visually-hidden", ` ${newTabNote}`));
  }
  return a;
}

function appendLinkified(parent, line, newTabNote) {
  let last = 0;
  LINK_RE.lastIndex = 0;
  let match;
  while ((match = LINK_RE.exec(line)) !== null) {
    let start = match.index;
    let node = null;
    let length = match[0].length;
    if (match[1]) {
      const url = trimUrl(match[1]);
      length = url.length;
      const href = safeWebHref(url);
      if (href) node = link(href, url, true, newTabNote);
    } else if (match[2]) {
      node = link(`mailto:${match[2]}`, match[2], false);
    } else if (match[4]) {
      start += match[3].length;
      length = match[4].length;
      const digits = match[4].replace(/\D/g, "").replace(/^371/, "");
      node = link(`tel:+371${digits}`, match[4], false);
    }
    if (!node) continue;
    if (start > last) parent.appendChild(document.createTextNode(line.slice(last, start)));
    parent.appendChild(node);
    last = start + length;
    LINK_RE.lastIndex = last;
  }
  if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
}

const NUMBERED_RE = /^\s*\d{1,2}[.)]\s/;
const BULLET_RE = /^\s*[•–*-]\s/;
const SOURCE_RE = /^(?:Avots|Avoti|Источник|Источники|Source|Sources):/;

/**
 * Renders plain text into `parent`: one block per line, newlines and spacing kept.
 * `newTabNote` is read by screen readers after links that open a new tab.
 */
export function renderText(parent, text, newTabNote) {
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
  for (const line of lines) {
    const span = el("span", "text-line");
    if (!line.trim()) {
      span.classList.add("gap");
    } else {
      if (NUMBERED_RE.test(line)) span.classList.add("step", /^\s*\d\d/.test(line) ? "wide" : "numbered");
      else if (BULLET_RE.test(line)) span.classList.add("step", "bullet");
      if (line.indexOf("📘") === 0) span.classList.add("title");
      if (SOURCE_RE.test(line)) span.classList.add("source");
      appendLinkified(span, line, newTabNote);
    }
    parent.appendChild(span);
  }
}
