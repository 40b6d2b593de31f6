/**
 * The guides and flows as the editors' pages know them (GET /api/staff/content), kept for a
 * minute so that titles can be shown anywhere, and the `file:line: message` problems of the check.
 */
import { el, str } from "./dom.js";
import { api } from "./session.js";
import { LANG_ORDER } from "./words.js";

const cache = { content: null, at: 0, loading: null };

/** The content last loaded, or null. */
export const currentContent = () => cache.content;

/** Loads the guides and flows (kept for titles elsewhere); shared by the pages. */
export async function fetchContent(force) {
  if (!force && cache.content && Date.now() - cache.at < 60000) return cache.content;
  if (cache.loading) return cache.loading;
  const loading = (async () => {
    const data = await api("GET", "api/staff/content");
    const guides = Array.isArray(data.guides) ? data.guides.filter((g) => g && typeof g.id === "string") : [];
    const flows = Array.isArray(data.flows) ? data.flows.filter((f) => f && typeof f.id === "string") : [];
    cache.content = {
      status: data.status && typeof data.status === "object" ? data.status : null,
      guides,
      flows,
      notices: Array.isArray(data.notices) ? data.notices : [],
      todo: Array.isArray(data.todo) ? data.todo : [],
      guideById: new Map(guides.map((g) => [g.id, g])),
      flowById: new Map(flows.map((f) => [f.id, f])),
    };
    cache.at = Date.now();
    return cache.content;
  })();
  cache.loading = loading;
  try {
    return await loading;
  } finally {
    if (cache.loading === loading) cache.loading = null;
  }
}

/** Forgets the content (after a change, or on logout). */
export function forgetContent() {
  cache.content = null;
  cache.at = 0;
  cache.loading = null;
}

/** The title of a guide in Latvian (or another language) from the content, else its id. */
export function guideTitle(id) {
  const guide = cache.content ? cache.content.guideById.get(id) : null;
  if (guide && guide.langs) {
    for (const lang of LANG_ORDER) if (guide.langs[lang] && guide.langs[lang].title) return str(guide.langs[lang].title);
  }
  return str(id);
}

/** A flow's Latvian (or other) title, else its id. */
export function flowTitle(id) {
  const flow = cache.content ? cache.content.flowById.get(id) : null;
  const title = flow && flow.title && typeof flow.title === "object" ? flow.title.lv || flow.title.en || flow.title.ru : "";
  return str(title) || str(id);
}

/** A title up to its first dash or colon, as on the bot's buttons. */
export function shortTitleOf(title) {
  return str(title).split(/\s+[–—-]\s+|:\s/)[0] || str(title);
}

/** A guide's short title, at most 48 characters. */
export function guideTitleShort(id) {
  const short = shortTitleOf(guideTitle(id));
  return short.length > 48 ? `${short.slice(0, 47)}…` : short;
}

/** "knowledge/lv/x.md:12: message" → { where, message }. */
export function splitProblem(line) {
  const m = /^(.+?:\d+(?::\d+)?):\s*(.*)$/.exec(str(line));
  return m ? { where: m[1], message: m[2] } : { where: "", message: str(line) };
}

/** One problem of the check as a list item. */
export function problemItem(line) {
  const li = el("li", "problem");
  const { where, message } = splitProblem(line);
  if (where) li.appendChild(el("code", "problem-where", where));
  li.appendChild(el("span", "problem-message", message));
  return li;
}
