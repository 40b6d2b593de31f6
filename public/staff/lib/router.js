/* global document, location */
/**
 * The console's pages: which role sees which, the header's links, and the page the address
 * (location.hash) asks for. Each page module registers itself with {@link registerPage}:
 *
 * - `id`, `hash` (its address, e.g. "#instrukcijas"), `title`, `roles`;
 * - `section` (the id of its element) and `heading` (the id of the heading that gets the focus);
 * - `matches(hash)` when it also owns deeper addresses ("#pieteikums/12");
 * - `enter({ focus, again })` when it is shown or its address changed (`again`: it was already the
 *   page shown; `focus`: the person moved there, so the focus follows — to the page's heading
 *   when it was not shown, or to what the deeper address opens);
 * - `title()` for the window title while it is shown, `reset()` on logout.
 */
import { $ } from "./dom.js";

/** The header's order. */
const ORDER = ["queue", "try", "guides", "editor", "unanswered", "dashboard", "accounts"];
const registry = new Map();
const root = document.documentElement;

/** The pages of the signed-in member of staff and the one shown. */
export const router = { pages: [], current: "" };

let badge = () => "";

/** Registers a page (see the module comment). */
export function registerPage(page) {
  registry.set(page.id, page);
}

/** The page with this id. */
export const pageById = (id) => registry.get(id);

/** A text put before the window title (the queue: "(2 gaida) "). */
export function setTitleBadge(fn) {
  badge = fn;
}

/** The pages a role may see, in the header's order (an unknown role gets the queue only). */
export function pagesFor(role) {
  const known = role === "editor" || role === "admin" ? role : "agent";
  return ORDER.filter((id) => registry.has(id) && registry.get(id).roles.indexOf(known) !== -1);
}

/** Chooses the pages of a role and shows the header's links to them. */
export function setupPages(role) {
  router.pages = pagesFor(role);
  for (const item of $("page-nav").querySelectorAll("li[data-page]")) {
    item.hidden = router.pages.indexOf(item.getAttribute("data-page")) === -1;
  }
}

export const hasPage = (id) => router.pages.indexOf(id) !== -1;

/** The page the address asks for, or the role's first page. */
export function pageFromHash() {
  const hash = location.hash;
  const wanted = router.pages.find((id) => {
    const page = registry.get(id);
    return page.hash === hash || (page.matches ? page.matches(hash) : false);
  });
  return wanted || router.pages[0];
}

/** Hides every page (logged out, loading). */
export function hideAllPages() {
  for (const page of registry.values()) $(page.section).hidden = true;
}

/** Shows a page; the others are hidden. */
export function showPage(id, focus) {
  const before = router.current;
  const page = registry.get(id);
  router.current = id;
  root.setAttribute("data-page", id);
  for (const other of registry.values()) $(other.section).hidden = other.id !== id;
  for (const link of $("page-nav").querySelectorAll(".page-link")) {
    const item = link.parentElement;
    if (item && item.getAttribute("data-page") === id) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const other of registry.values()) {
    // A page may keep a deeper address in its link (back to the queue keeps the open ticket).
    const link = $("page-nav").querySelector(`li[data-page="${other.id}"] .page-link`);
    if (link) link.setAttribute("href", other.link ? other.link() : other.hash);
  }
  updateTitle();
  page.enter({ focus, again: before === id });
}

/** Follows the address: shows its page (which follows the rest of the address itself). */
export function routePage(focus) {
  const id = pageFromHash();
  if (!id) return;
  showPage(id, focus);
}

/** Moves the focus to the page's heading. */
export function focusHeading(id) {
  const heading = $(registry.get(id).heading);
  if (heading) heading.focus();
}

/** "(2 gaida) JN-000123 · Darbinieku pults · DigiPalīgs". */
export function updateTitle() {
  const page = registry.get(router.current);
  const part = page ? (page.title ? page.title() : page.name) : "";
  document.title = `${badge()}${part ? `${part} · ` : ""}Darbinieku pults · DigiPalīgs`;
}

/** Forgets what the pages showed (on logout or a lost session). */
export function resetPages() {
  router.current = "";
  router.pages = [];
  root.removeAttribute("data-page");
  for (const page of registry.values()) page.reset();
}
