/* global document, localStorage, URL */
/**
 * The web chat's session: the server's API for it, and what the browser keeps of it (the session
 * and the chosen language, in localStorage when the browser allows it).
 * @module
 */
import { requestJson } from "./api-client.js";

const SESSION_KEY = "digipaligs.session";
const LANG_KEY = "digipaligs.lang";
const REQUEST_TIMEOUT_MS = 30000;

/** localStorage that never throws (blocked storage, private mode, sandboxed iframes). */
const storage = {
  get(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  },
  set(key, value) {
    try { localStorage.setItem(key, value); } catch { /* kept in memory only */ }
  },
  remove(key) {
    try { localStorage.removeItem(key); } catch { /* nothing to remove */ }
  },
};

/** Calls the chat API (relative to the page), with the session's token when given. */
export function api(method, path, body, token) {
  return requestJson(new URL(path, document.baseURI).href, {
    method, body, headers: token ? { Authorization: `Bearer ${token}` } : {}, timeoutMs: REQUEST_TIMEOUT_MS,
  });
}

/** The API path of one session. */
export const sessionPath = (id) => `api/chat/sessions/${encodeURIComponent(id)}`;

/**
 * The address of a session's event stream. The browser resends Last-Event-ID when it reconnects
 * by itself; a new EventSource does not, so `after` tells the server where the page was.
 */
export function eventsUrl(session, lastEventId) {
  const url = new URL(`${sessionPath(session.id)}/events`, document.baseURI);
  url.searchParams.set("token", session.token);
  if (lastEventId) url.searchParams.set("after", lastEventId);
  return url.href;
}

/** The saved session `{ id, token }`, or null (none, or a damaged entry: start again). */
export function readSession() {
  try {
    const saved = JSON.parse(storage.get(SESSION_KEY) || "null");
    if (saved && typeof saved.id === "string" && typeof saved.token === "string") return saved;
  } catch {
    /* a damaged entry */
  }
  return null;
}

/** Keeps the session for the next visit. */
export function saveSession(session) {
  storage.set(SESSION_KEY, JSON.stringify(session));
}

/** Forgets the saved session. */
export function removeSession() {
  storage.remove(SESSION_KEY);
}

/** The language the resident chose last time, or null. */
export const savedLang = () => storage.get(LANG_KEY);

/** Remembers the resident's language. */
export const saveLang = (lang) => storage.set(LANG_KEY, lang);
