/* global URL */
/**
 * The signed-in member of staff and the API they call.
 *
 * The session is an HTTP-only cookie that this page never touches; the CSRF token from the login
 * (or GET /api/staff/me after a reload) is kept in memory and sent in `x-csrf-token` with every
 * change. The API is described in docs/staff-api.md.
 */
import { requestJson } from "../../static/api-client.js";
import { str } from "./dom.js";
import { ERRORS } from "./words.js";

/** The app's root (this file is at <root>/staff/lib/session.js): API addresses are relative to it. */
export const ROOT_URL = new URL("../../", import.meta.url);
const REQUEST_TIMEOUT_MS = 20000;

/** Who is signed in, their CSRF token and the centres (filled by the shell after the login). */
export const session = {
  staff: null,
  csrf: "",
  centres: [],
  centreById: new Map(),
};

let onLost = () => {};
/** What to do when the server says the session is over (401). */
export function onSessionLost(fn) {
  onLost = fn;
}

/** An absolute address under the app's root. */
export const appUrl = (path) => new URL(path, ROOT_URL).href;

/** One request without the session's recovery (the login itself). */
export function request(method, path, body) {
  return requestJson(appUrl(path), {
    method, body, headers: method !== "GET" && session.csrf ? { "x-csrf-token": session.csrf } : {}, timeoutMs: REQUEST_TIMEOUT_MS,
  });
}

/**
 * Calls the API as the logged-in member of staff. A refused CSRF token is fetched again once
 * (GET /api/staff/me) and the request repeated; a 401 means the session is over: back to login.
 */
export async function api(method, path, body) {
  try {
    return await request(method, path, body);
  } catch (error) {
    if (error.status === 403 && error.code === "csrf_failed" && method !== "GET") {
      const me = await request("GET", "api/staff/me").catch(() => null);
      if (me && typeof me.csrfToken === "string") {
        session.csrf = me.csrfToken;
        return request(method, path, body);
      }
    }
    if (error.status === 401 && session.staff) onLost();
    throw error;
  }
}

/** The text to show for an API error. */
export function errorText(error) {
  if (!error) return ERRORS.server;
  if (error.status === 0) return ERRORS.network;
  if (ERRORS[error.code]) return ERRORS[error.code];
  if (error.status === 429) return ERRORS.too_many_attempts;
  if (error.status === 404) return ERRORS.not_found;
  if (error.status === 403) return ERRORS.forbidden;
  if (error.status === 401) return ERRORS.unauthorized;
  if (error.status === 400) return ERRORS.bad_request;
  return `${ERRORS.server} (kļūda ${error.status})`;
}

/** The text for an error on one of the editors' or admins' pages. */
export function pageErrorText(error) {
  if (error && error.status === 403) return "Jums nav piekļuves šai sadaļai. Ja tā ir kļūda, sazinieties ar administratoru.";
  if (error && error.status === 404) return "Šī sadaļa serverī vēl nav pieejama.";
  return errorText(error);
}

export const isAdmin = () => Boolean(session.staff && session.staff.role === "admin");
export const isMine = (ticket) => Boolean(ticket && ticket.assignee && session.staff && ticket.assignee.id === session.staff.id);

/** A centre's Latvian name, or its id. */
export function centreName(id) {
  const centre = session.centreById.get(id);
  const name = centre && centre.name ? centre.name.lv || centre.name.en : "";
  return name || str(id);
}
