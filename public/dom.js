/* global document */
/**
 * The DOM helpers the web chat's modules share (chat.js, render-text.js, voice.js).
 * @module
 */

/** A new element with an optional class name and text (set as text, never as HTML). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Text for screen readers only. */
export function hiddenText(text) {
  return el("span", "visually-hidden", text);
}
