/* global document, setTimeout, clearTimeout */
/**
 * Building and updating the console's page: elements made through textContent only (texts from
 * the server are plain text, never HTML), alerts, busy buttons, tab-list keys and the
 * screen-reader announcer.
 */

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with a class and a text (both optional). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The value when it is a string, else "". */
export const str = (value) => (typeof value === "string" ? value : "");

/** Text on one line, cut to `max` characters with "…". */
export function shorten(text, max) {
  const clean = str(text).replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Shows a (role=alert) box with a text. */
export function showAlert(node, text) {
  node.textContent = text;
  node.hidden = false;
}

/** Hides and empties an alert box. */
export function hideAlert(node) {
  node.hidden = true;
  node.textContent = "";
}

/** A button that says it is working (aria-disabled, so it keeps the focus). */
export function working(button, busy) {
  if (!button) return;
  button.setAttribute("aria-disabled", String(busy));
  button.classList.toggle("is-working", busy);
}

/** True while a button says it is working or disabled. */
export const isWorking = (button) => Boolean(button) && button.getAttribute("aria-disabled") === "true";

/** Arrow keys, Home and End move between tabs of a tab list (and select them). */
export function tabKeys(event, buttons, activate) {
  const index = buttons.indexOf(event.target);
  if (index === -1) return;
  let next = -1;
  if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (index + 1) % buttons.length;
  else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (index - 1 + buttons.length) % buttons.length;
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = buttons.length - 1;
  if (next === -1) return;
  event.preventDefault();
  activate(buttons[next]);
}

/** Ctrl+Enter (⌘+Enter) in `area` submits `form`; Enter alone starts a new line. */
export function submitOnCtrlEnter(area, form) {
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

/** A definition list row (`<div><dt/><dd/></div>`); `value` is a text or a node. */
export function definitionRow(dl, label, value, className) {
  const wrap = el("div", className);
  wrap.appendChild(el("dt", "", label));
  const dd = el("dd");
  if (typeof value === "string") dd.textContent = value;
  else dd.appendChild(value);
  wrap.appendChild(dd);
  dl.appendChild(wrap);
  return wrap;
}

let announceTimer = 0;
/** Says something through the aria-live region (emptied first so that a repeat is read too). */
export function announce(text) {
  const node = $("announcer");
  clearTimeout(announceTimer);
  node.textContent = "";
  announceTimer = setTimeout(() => {
    node.textContent = text;
  }, 100);
}
