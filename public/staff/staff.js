/* global window, document, location, history, localStorage, fetch, EventSource, ResizeObserver, URL, URLSearchParams, AbortController, setTimeout, clearTimeout, setInterval, requestAnimationFrame, console */
/**
 * DigiPalīgs staff console (ES module, no build step, no dependencies).
 *
 * Client service staff answer the residents' questions that the bot could not: a queue per
 * centre on the left, the open ticket on the right. The API is described in docs/staff-api.md.
 *
 * - The session is an HTTP-only cookie that this page never touches; the CSRF token from the
 *   login (or GET /api/staff/me after a reload) is kept in memory and sent in `x-csrf-token`
 *   with every POST.
 * - Live updates come from server-sent events (/api/staff/events, `ticket` events): the queue
 *   and the open ticket are fetched again; new waiting tickets are highlighted and announced.
 * - Texts from the server are plain text: they are only ever set through textContent.
 */

/** The app's root (this file is at <root>/staff/staff.js): API addresses are relative to it. */
const ROOT_URL = new URL("../", import.meta.url);
const REQUEST_TIMEOUT_MS = 20000;
/** Events that come close together cause one refresh. */
const EVENT_DEBOUNCE_MS = 200;
/** A safety net in case an event is lost: the queue is fetched again this often anyway. */
const POLL_MS = 60000;
const CLOCK_MS = 30000;
const PREFS_KEY = "digipaligs.staff.prefs";
const TABS = ["waiting", "mine", "open"];
const HASH_PREFIX = "#pieteikums/";

// ---------------------------------------------------------------------------------------------
// Words

const PARISHES = {
  cenu: "Cenu pagasts",
  elejas: "Elejas pagasts",
  gludas: "Glūdas pagasts",
  jaunsvirlaukas: "Jaunsvirlaukas pagasts",
  kalnciema: "Kalnciema pagasts",
  lielplatones: "Lielplatones pagasts",
  livberzes: "Līvbērzes pagasts",
  ozolnieku: "Ozolnieku pagasts",
  platones: "Platones pagasts",
  salgales: "Salgales pagasts",
  sesavas: "Sesavas pagasts",
  svetes: "Svētes pagasts",
  valgundes: "Valgundes pagasts",
  vilces: "Vilces pagasts",
  vircavas: "Vircavas pagasts",
  zalenieku: "Zaļenieku pagasts",
};
const LANG_NAMES = { lv: "latviešu", ru: "krievu", en: "angļu" };
const LANG_ADVERB = { lv: "latviski", ru: "krieviski", en: "angliski" };
const CHANNELS = { web: "tīmekļa čatā", telegram: "Telegram" };
const CHANNEL_NAMES = { web: "Tīmekļa čats", telegram: "Telegram" };
const CONTACT_NAMES = { chat: "Atbildēt rakstiski", phone: "Atzvanīt pa tālruni" };
const STATUS_NAMES = { waiting: "Gaida", assigned: "Pieņemts", closed: "Slēgts" };
const ROLE_NAMES = { agent: "", editor: "satura redaktors", admin: "administrators" };
const REASONS = { "resident asked for a person": "Iedzīvotājs lūdza runāt ar cilvēku" };

const EMPTY_TEXTS = {
  waiting: "Pašlaik neviens pieteikums negaida. Jauni parādīsies šeit paši.",
  mine: "Jums nav pieņemtu pieteikumu.",
  open: "Atvērtu pieteikumu nav.",
};
const HINTS = {
  waiting: "Vecākie augšā – tie gaida visilgāk.",
  mine: "Jūsu pieņemtie pieteikumi.",
  open: "Gaidošie un darbinieku pieņemtie pieteikumi.",
};

const ERRORS = {
  invalid_credentials: "Nepareizs lietotājvārds vai parole. Pārbaudiet un mēģiniet vēlreiz.",
  too_many_attempts: "Pārāk daudz neveiksmīgu mēģinājumu. Lūdzu, pagaidiet 15 minūtes un mēģiniet vēlreiz.",
  already_claimed: "Šo pieteikumu jau pieņēma cits darbinieks.",
  not_yours: "Šo pieteikumu pieņēma cits darbinieks. Atbildēt, nodot vai slēgt to var tikai tas, kas to pieņēma.",
  closed: "Šis pieteikums jau ir slēgts.",
  forbidden: "Jums nav tiesību to darīt ar šo pieteikumu.",
  not_found: "Pieteikums nav atrasts. Iespējams, tas jau nodots citam centram.",
  unknown_centre: "Šāds centrs nav atrasts. Izvēlieties centru no saraksta.",
  bad_request: "Serveris nepieņēma šo tekstu. Pārbaudiet, vai tas nav tukšs vai pārāk garš.",
  csrf_failed: "Drošības pārbaude neizdevās. Lūdzu, pārlādējiet lapu un mēģiniet vēlreiz.",
  unauthorized: "Jūsu sesija ir beigusies. Lūdzu, ienāciet vēlreiz.",
  network: "Nav savienojuma ar serveri. Pārbaudiet interneta savienojumu un mēģiniet vēlreiz.",
  server: "Kaut kas nogāja greizi serverī. Lūdzu, mēģiniet vēlreiz pēc brīža.",
};

// ---------------------------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

const str = (value) => (typeof value === "string" ? value : "");

/** localStorage that never throws. */
const prefs = {
  read() {
    try {
      const saved = JSON.parse(localStorage.getItem(PREFS_KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch {
      return {};
    }
  },
  write(value) {
    try { localStorage.setItem(PREFS_KEY, JSON.stringify(value)); } catch { /* kept in memory only */ }
  },
};

const pad = (n) => (n < 10 ? `0${n}` : String(n));

function parseTime(iso) {
  const date = new Date(str(iso));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12.03.2026. 14:05" (local time). */
function exactTime(date) {
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${date.getFullYear()}. ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "tikko", "pirms 3 min", "pirms 2 st.", "vakar 14:05", "12.03. 14:05". */
function relativeTime(date, now) {
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return "tikko";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `pirms ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `pirms ${hours} st.`;
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const yesterday = today.getTime() - 86400000;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.getTime() >= yesterday) return `vakar ${clock}`;
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}. ${clock}`;
}

/** A <time> with the relative time as text and the exact one in its title; kept fresh by the clock. */
function timeEl(iso, prefix) {
  const date = parseTime(iso);
  const node = el("time", "time");
  if (!date) return node;
  node.dateTime = date.toISOString();
  node.title = exactTime(date);
  node.setAttribute("data-rel", "");
  if (prefix) node.setAttribute("data-prefix", prefix);
  node.textContent = `${prefix || ""}${relativeTime(date, Date.now())}`;
  return node;
}

function refreshTimes() {
  const now = Date.now();
  for (const node of document.querySelectorAll("time[data-rel]")) {
    const date = parseTime(node.getAttribute("datetime"));
    if (date) node.textContent = `${node.getAttribute("data-prefix") || ""}${relativeTime(date, now)}`;
  }
}

const parishName = (id) => (id ? PARISHES[id] || id : "Pagasts nav zināms");
const langName = (lang) => LANG_NAMES[lang] || str(lang);
const channelName = (channel) => CHANNEL_NAMES[channel] || str(channel);

function centreName(id) {
  const centre = state.centreById.get(id);
  const name = centre && centre.name ? centre.name.lv || centre.name.en : "";
  return name || str(id);
}

function shorten(text, max) {
  const clean = str(text).replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

// ---------------------------------------------------------------------------------------------
// State and elements

const root = document.documentElement;

const state = {
  staff: null,
  csrf: "",
  centres: [],
  centreById: new Map(),
  tab: "waiting",
  centre: "",
  lists: { waiting: [], assigned: [], mine: [] },
  listsLoaded: false,
  seenWaiting: new Set(),
  fresh: new Set(),
  queueLoading: false,
  queueAgain: false,
  openId: null,
  ticket: null,
  ticketSeq: 0,
  mode: "reply",
  stickToEnd: true,
  busy: false,
  events: null,
  eventsDown: false,
  reconnectTimer: 0,
  reconnectDelay: 2000,
  pendingIds: new Set(),
  debounceTimer: 0,
  timers: [],
  lastQueueAt: 0,
};

const ui = {
  loading: $("loading"),
  userBar: $("user-bar"),
  userName: $("user-name"),
  userRole: $("user-role"),
  connection: $("connection"),
  connectionText: $("connection-text"),
  logout: $("logout"),
  loginView: $("login-view"),
  loginForm: $("login-form"),
  loginError: $("login-error"),
  loginInfo: $("login-info"),
  loginButton: $("login-button"),
  username: $("username"),
  password: $("password"),
  consoleView: $("console-view"),
  queueTitle: $("queue-title"),
  centreFilter: $("centre-filter"),
  queuePanel: $("queue-panel"),
  queueHint: $("queue-hint"),
  queueError: $("queue-error"),
  queueList: $("queue-list"),
  queueEmpty: $("queue-empty"),
  ticketEmpty: $("ticket-empty"),
  ticketEmptyTitle: $("ticket-empty-title"),
  ticketEmptyText: $("ticket-empty-text"),
  ticketView: $("ticket-view"),
  ticketTitle: $("ticket-title"),
  ticketNumber: $("ticket-number"),
  ticketStatus: $("ticket-status"),
  ticketHolder: $("ticket-holder"),
  ticketCallback: $("ticket-callback"),
  claimBar: $("claim-bar"),
  ticketAlert: $("ticket-alert"),
  ticketInfo: $("ticket-info"),
  claim: $("claim"),
  conversationScroller: $("conversation-scroller"),
  conversation: $("conversation"),
  closedInfo: $("closed-info"),
  composer: $("composer"),
  composerAlert: $("composer-alert"),
  composerInfo: $("composer-info"),
  replyForm: $("reply-form"),
  replyHint: $("reply-hint"),
  replyText: $("reply-text"),
  replySend: $("reply-send"),
  noteForm: $("note-form"),
  noteText: $("note-text"),
  context: $("context"),
  transferToggle: $("transfer-toggle"),
  transferPanel: $("transfer-panel"),
  transferAlert: $("transfer-alert"),
  transferCentre: $("transfer-centre"),
  closeToggle: $("close-toggle"),
  closePanel: $("close-panel"),
  closeAlert: $("close-alert"),
  closeReason: $("close-reason"),
  announcer: $("announcer"),
};

const isMine = (ticket) => Boolean(ticket && ticket.assignee && state.staff && ticket.assignee.id === state.staff.id);
const isAdmin = () => Boolean(state.staff && state.staff.role === "admin");

// ---------------------------------------------------------------------------------------------
// API

/** An error from the API or the network. `status` is 0 for network errors and time-outs. */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.csrf) headers["x-csrf-token"] = state.csrf;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(new URL(path, ROOT_URL).href, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "same-origin",
      signal: controller.signal,
    });
  } catch (error) {
    throw new ApiError(0, "network", error && error.message);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return {};
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const err = data && data.error ? data.error : {};
    throw new ApiError(response.status, err.code || `http_${response.status}`, err.message);
  }
  if (!data || typeof data !== "object") throw new ApiError(response.status, "bad_response");
  return data;
}

/**
 * Calls the API as the logged-in member of staff. A refused CSRF token is fetched again once
 * (GET /api/staff/me) and the request repeated; a 401 means the session is over: back to login.
 */
async function api(method, path, body) {
  try {
    return await request(method, path, body);
  } catch (error) {
    if (error.status === 403 && error.code === "csrf_failed" && method !== "GET") {
      const me = await request("GET", "api/staff/me").catch(() => null);
      if (me && typeof me.csrfToken === "string") {
        state.csrf = me.csrfToken;
        return request(method, path, body);
      }
    }
    if (error.status === 401 && state.staff) sessionLost();
    throw error;
  }
}

function errorText(error) {
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

// ---------------------------------------------------------------------------------------------
// Notices

function showAlert(node, text) {
  node.textContent = text;
  node.hidden = false;
}

function hideAlert(node) {
  node.hidden = true;
  node.textContent = "";
}

let infoTimer = 0;
/**
 * A short confirmation: under the ticket's header, or under the composer for replies and notes
 * (where the eyes are). Both are status regions, so screen readers say it too.
 */
function showInfo(text, inComposer) {
  clearTimeout(infoTimer);
  hideInfo();
  const node = inComposer ? ui.composerInfo : ui.ticketInfo;
  node.textContent = `✓ ${text}`;
  node.hidden = false;
  infoTimer = setTimeout(hideInfo, 6000);
}

function hideInfo() {
  ui.ticketInfo.hidden = true;
  ui.ticketInfo.textContent = "";
  ui.composerInfo.textContent = "";
}

let announceTimer = 0;
/** Says something through the aria-live region (emptied first so that a repeat is read too). */
function announce(text) {
  clearTimeout(announceTimer);
  ui.announcer.textContent = "";
  announceTimer = setTimeout(() => {
    ui.announcer.textContent = text;
  }, 100);
}

function clearTicketNotices() {
  for (const node of [ui.ticketAlert, ui.composerAlert, ui.transferAlert, ui.closeAlert]) hideAlert(node);
  clearTimeout(infoTimer);
  hideInfo();
}

// ---------------------------------------------------------------------------------------------
// Views: loading, login, console

function setView(view) {
  root.setAttribute("data-staff", view);
  ui.loading.hidden = view !== "loading";
  ui.loginView.hidden = view !== "login";
  ui.consoleView.hidden = view !== "console";
  ui.userBar.hidden = view !== "console";
}

function showLogin(info, error) {
  setView("login");
  document.title = "Ienākt · Darbinieku pults · DigiPalīgs";
  if (info) {
    ui.loginInfo.textContent = info;
    ui.loginInfo.hidden = false;
  } else {
    ui.loginInfo.hidden = true;
  }
  if (error) showAlert(ui.loginError, error);
  else hideAlert(ui.loginError);
  ui.password.value = "";
  (ui.username.value ? ui.password : ui.username).focus();
}

/** The session ended on the server (401): stop everything and ask to log in again. */
function sessionLost() {
  if (!state.staff) return;
  stopConsole();
  showLogin(null, ERRORS.unauthorized);
}

function stopConsole() {
  closeEvents();
  for (const timer of state.timers) clearTimeout(timer);
  state.timers = [];
  clearTimeout(state.debounceTimer);
  state.staff = null;
  state.csrf = "";
  state.lists = { waiting: [], assigned: [], mine: [] };
  state.listsLoaded = false;
  state.seenWaiting = new Set();
  state.fresh = new Set();
  state.openId = null;
  state.ticket = null;
  ui.queueList.textContent = "";
  lastQueueSignature = "";
  ui.conversation.textContent = "";
  ui.replyText.value = "";
  ui.noteText.value = "";
  ui.closeReason.value = "";
}

async function login(event) {
  event.preventDefault();
  if (state.busy) return;
  const username = ui.username.value.trim();
  const password = ui.password.value;
  ui.loginInfo.hidden = true;
  if (!username || !password) {
    showAlert(ui.loginError, "Ierakstiet lietotājvārdu un paroli.");
    (username ? ui.password : ui.username).focus();
    return;
  }
  hideAlert(ui.loginError);
  setBusy(ui.loginButton, true);
  try {
    const data = await request("POST", "api/staff/login", { username, password });
    setBusy(ui.loginButton, false);
    ui.password.value = "";
    await startConsole(data, true);
  } catch (error) {
    setBusy(ui.loginButton, false);
    showAlert(ui.loginError, error.status === 401 ? ERRORS.invalid_credentials : errorText(error));
    ui.password.value = "";
    ui.password.focus();
  }
}

async function logout() {
  try {
    await request("POST", "api/staff/logout");
  } catch (error) {
    if (error.status === 0) {
      showAlert(ui.queueError, `Neizdevās iziet. ${ERRORS.network}`);
      return;
    }
  }
  stopConsole();
  history.replaceState(null, "", location.pathname + location.search);
  showLogin("Jūs izgājāt no darbinieku pults.", null);
}

async function startConsole(data, focus) {
  if (!data || !data.staff || typeof data.csrfToken !== "string") throw new ApiError(0, "bad_response");
  state.staff = data.staff;
  state.csrf = data.csrfToken;
  ui.userName.textContent = str(data.staff.displayName) || str(data.staff.username);
  const role = ROLE_NAMES[data.staff.role] || "";
  ui.userRole.textContent = role ? `(${role})` : "";
  ui.userRole.hidden = !role;

  try {
    const list = await api("GET", "api/staff/centres");
    state.centres = Array.isArray(list.centres) ? list.centres.filter((c) => c && typeof c.id === "string") : [];
  } catch (error) {
    console.warn("DigiPalīgs: centres not loaded", error);
    state.centres = [];
  }
  if (!state.staff) return; // the session ended meanwhile
  state.centreById = new Map(state.centres.map((c) => [c.id, c]));

  const saved = prefs.read();
  state.tab = TABS.indexOf(saved.tab) !== -1 ? saved.tab : "waiting";
  fillCentreFilter(saved.centre);
  selectTab(state.tab, false);
  setView("console");
  updateTitle();
  if (focus) ui.queueTitle.focus();

  openEvents();
  await refreshQueue();
  route(false);
  state.timers.push(setInterval(refreshTimes, CLOCK_MS));
  state.timers.push(setInterval(() => {
    if (Date.now() - state.lastQueueAt > POLL_MS - 1000) void refreshAll();
  }, POLL_MS));
}

async function boot() {
  setView("loading");
  try {
    const data = await request("GET", "api/staff/me");
    await startConsole(data, false);
  } catch (error) {
    if (error.status === 401) showLogin(null, null);
    else showLogin(null, errorText(error));
  }
}

function setBusy(button, busy) {
  state.busy = busy;
  root.classList.toggle("is-busy", busy);
  if (button) button.setAttribute("aria-disabled", String(busy));
}

// ---------------------------------------------------------------------------------------------
// Centre filter and tabs

function fillCentreFilter(saved) {
  const own = isAdmin()
    ? state.centres.map((c) => c.id)
    : (Array.isArray(state.staff.centres) ? state.staff.centres : []).filter((id) => typeof id === "string");
  ui.centreFilter.textContent = "";
  if (own.length !== 1) ui.centreFilter.appendChild(new window.Option(isAdmin() ? "Visi centri" : "Visi mani centri", ""));
  for (const id of own) ui.centreFilter.appendChild(new window.Option(centreName(id), id));
  const valid = own.indexOf(saved) !== -1 || (saved === "" && own.length !== 1);
  state.centre = valid ? saved : own.length === 1 ? own[0] : "";
  ui.centreFilter.value = state.centre;
}

function savePrefs() {
  prefs.write({ tab: state.tab, centre: state.centre });
}

function selectTab(tab, focus) {
  state.tab = tab;
  for (const button of document.querySelectorAll(".tabs [role=tab]")) {
    const selected = button.getAttribute("data-tab") === tab;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    if (selected) {
      ui.queuePanel.setAttribute("aria-labelledby", button.id);
      if (focus) button.focus();
    }
  }
  ui.queueHint.textContent = HINTS[tab];
  renderQueue();
}

/** Arrow keys, Home and End move between tabs of a tab list (and select them). */
function tabKeys(event, buttons, activate) {
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

// ---------------------------------------------------------------------------------------------
// The queue

function ticketsQuery(params) {
  const query = new URLSearchParams(params);
  if (state.centre) query.set("centre", state.centre);
  return `api/staff/tickets?${query.toString()}`;
}

const ticketList = (data) => (data && Array.isArray(data.tickets) ? data.tickets.filter((t) => t && typeof t.id === "number") : []);

/** Fetches the three lists again; new waiting tickets are highlighted and announced. */
async function refreshQueue() {
  if (!state.staff) return;
  if (state.queueLoading) {
    state.queueAgain = true;
    return;
  }
  state.queueLoading = true;
  state.lastQueueAt = Date.now();
  const centre = state.centre;
  try {
    const [waiting, assigned, mine] = await Promise.all([
      api("GET", ticketsQuery({ status: "waiting" })),
      api("GET", ticketsQuery({ status: "assigned" })),
      api("GET", ticketsQuery({ status: "assigned", mine: "1" })),
    ]);
    if (!state.staff || centre !== state.centre) return;
    const lists = { waiting: ticketList(waiting), assigned: ticketList(assigned), mine: ticketList(mine) };
    // Newly waiting: created, transferred here, or back in the queue since the last look.
    const newcomers = state.listsLoaded ? lists.waiting.filter((t) => !state.seenWaiting.has(t.id)) : [];
    state.seenWaiting = new Set(lists.waiting.map((t) => t.id));
    for (const t of newcomers) if (t.id !== state.openId) state.fresh.add(t.id);
    // "New" lasts while the ticket waits and nobody has opened it here.
    const waitingIds = new Set(lists.waiting.map((t) => t.id));
    for (const id of Array.from(state.fresh)) if (!waitingIds.has(id)) state.fresh.delete(id);
    state.lists = lists;
    state.listsLoaded = true;
    hideAlert(ui.queueError);
    renderQueue();
    updateTitle();
    if (newcomers.length === 1) {
      const t = newcomers[0];
      announce(`Jauns pieteikums ${t.number}: ${parishName(t.parish)}. Gaida: ${lists.waiting.length}.`);
    } else if (newcomers.length > 1) {
      announce(`${newcomers.length} jauni pieteikumi. Gaida: ${lists.waiting.length}.`);
    }
  } catch (error) {
    if (!state.staff) return;
    showAlert(ui.queueError, error.status === 403
      ? "Jums nav piekļuves pieteikumu rindai. Ja tā ir kļūda, sazinieties ar administratoru."
      : `Rindu neizdevās ielādēt. ${errorText(error)}`);
  } finally {
    state.queueLoading = false;
    if (state.queueAgain) {
      state.queueAgain = false;
      void refreshQueue();
    }
  }
}

function currentList() {
  if (state.tab === "mine") return state.lists.mine;
  if (state.tab === "open") return state.lists.waiting.concat(state.lists.assigned);
  return state.lists.waiting;
}

function holderText(ticket) {
  if (ticket.status === "closed") return "Slēgts";
  if (!ticket.assignee) return "Gaida – neviens vēl nav pieņēmis";
  return isMine(ticket) ? "Pieņēmāt jūs" : `Pieņēma: ${str(ticket.assignee.displayName)}`;
}

function queueItem(ticket) {
  const li = el("li", "queue-item");
  const a = el("a", "ticket-link");
  a.href = `${HASH_PREFIX}${ticket.id}`;
  a.setAttribute("data-id", String(ticket.id));
  if (ticket.id === state.openId) a.setAttribute("aria-current", "true");
  if (state.fresh.has(ticket.id)) a.classList.add("is-new");
  a.classList.add(`status-${ticket.status}`);

  const top = el("span", "ticket-link-top");
  top.appendChild(el("span", "ticket-link-number", ticket.number));
  if (state.fresh.has(ticket.id)) top.appendChild(el("span", "badge badge-new", "Jauns"));
  if (ticket.contact === "phone") top.appendChild(el("span", "badge badge-phone", "Atzvanīt"));
  const time = timeEl(ticket.createdAt);
  time.classList.add("ticket-link-time");
  top.appendChild(time);
  a.appendChild(top);

  a.appendChild(el("span", "ticket-link-question", shorten(ticket.question, 160) || "(bez jautājuma teksta)"));
  a.appendChild(el("span", "ticket-link-meta", [parishName(ticket.parish), channelName(ticket.channel), langName(ticket.lang)].join(" · ")));
  // In "Gaida" every ticket waits: say who holds it only in the other lists.
  if (state.tab !== "waiting") {
    a.appendChild(el("span", `ticket-link-holder holder-${ticket.assignee ? (isMine(ticket) ? "me" : "other") : "none"}`, holderText(ticket)));
  }
  li.appendChild(a);
  return li;
}

let lastQueueSignature = "";

function renderQueue() {
  const counts = {
    waiting: state.lists.waiting.length,
    mine: state.lists.mine.length,
    open: state.lists.waiting.length + state.lists.assigned.length,
  };
  for (const tab of TABS) {
    const count = $(`count-${tab}`);
    count.textContent = String(counts[tab]);
  }
  $("tab-waiting").classList.toggle("has-new", state.fresh.size > 0);

  // Nothing changed: leave the list alone (no lost clicks, no jumping).
  const list = currentList();
  const signature = JSON.stringify([state.tab, state.openId, Array.from(state.fresh), state.listsLoaded, list]);
  if (signature === lastQueueSignature) return;
  lastQueueSignature = signature;

  // Keep the keyboard focus on the same ticket when the list is drawn again.
  const active = document.activeElement;
  const focusedId = active && active.classList && active.classList.contains("ticket-link") ? active.getAttribute("data-id") : null;
  ui.queueList.textContent = "";
  for (const ticket of list) ui.queueList.appendChild(queueItem(ticket));
  ui.queueEmpty.hidden = list.length > 0 || !state.listsLoaded;
  ui.queueEmpty.textContent = EMPTY_TEXTS[state.tab];
  if (focusedId) {
    const again = ui.queueList.querySelector(`.ticket-link[data-id="${focusedId}"]`);
    if (again) again.focus({ preventScroll: true });
    else ui.queuePanel.focus({ preventScroll: true });
  }
}

/** "(2 gaida) JN-000123 · Darbinieku pults · DigiPalīgs": the number waiting comes first. */
function updateTitle() {
  if (!state.staff) return;
  const waiting = state.lists.waiting.length;
  const open = state.ticket && !ui.ticketView.hidden ? `${str(state.ticket.number)} · ` : "";
  document.title = `${waiting > 0 ? `(${waiting} gaida) ` : ""}${open}Darbinieku pults · DigiPalīgs`;
}

// ---------------------------------------------------------------------------------------------
// The open ticket

function ticketIdFromHash() {
  const hash = location.hash;
  if (hash.indexOf(HASH_PREFIX) !== 0) return null;
  const id = Number(hash.slice(HASH_PREFIX.length));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function route(focus) {
  if (!state.staff) return;
  const id = ticketIdFromHash();
  if (id === null) {
    showNoTicket("Pieteikums nav atvērts", "Izvēlieties pieteikumu rindā kreisajā pusē.", false);
    return;
  }
  if (id !== state.openId || !state.ticket) void openTicket(id, focus);
  else if (focus) ui.ticketTitle.focus();
}

function showNoTicket(title, text, focus) {
  state.openId = null;
  state.ticket = null;
  state.ticketSeq++;
  ui.ticketView.hidden = true;
  ui.ticketEmpty.hidden = false;
  ui.ticketEmptyTitle.textContent = title;
  ui.ticketEmptyText.textContent = text;
  markCurrent();
  updateTitle();
  if (focus) ui.ticketEmptyTitle.focus();
}

function markCurrent() {
  for (const link of ui.queueList.querySelectorAll(".ticket-link")) {
    if (Number(link.getAttribute("data-id")) === state.openId) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

async function openTicket(id, focus) {
  const switching = id !== state.openId;
  state.openId = id;
  if (switching) {
    state.ticket = null;
    clearTicketNotices();
    ui.replyText.value = "";
    ui.noteText.value = "";
    ui.closeReason.value = "";
    ui.transferCentre.value = "";
    closePanels(false);
    setMode("reply", false);
  }
  if (state.fresh.delete(id)) renderQueue();
  markCurrent();
  const seq = ++state.ticketSeq;
  try {
    const data = await api("GET", `api/staff/tickets/${id}`);
    if (seq !== state.ticketSeq || !data.ticket) return;
    renderTicket(data.ticket, { scrollToEnd: true });
    if (focus) ui.ticketTitle.focus();
  } catch (error) {
    if (seq !== state.ticketSeq || !state.staff) return;
    const title = error.status === 404 || error.status === 403 ? "Pieteikums nav pieejams" : "Pieteikumu neizdevās atvērt";
    showNoTicket(title, errorText(error), focus);
  }
}

/** Fetches the open ticket again (after an event), keeping drafts and the reading position. */
async function refreshTicket() {
  const id = state.openId;
  if (!id || !state.staff) return;
  const seq = ++state.ticketSeq;
  try {
    const data = await api("GET", `api/staff/tickets/${id}`);
    if (seq !== state.ticketSeq || !data.ticket) return;
    const before = state.ticket;
    renderTicket(data.ticket, {});
    announceChanges(before, data.ticket);
  } catch (error) {
    if (seq !== state.ticketSeq || !state.staff) return;
    if (error.status === 404 || error.status === 403) {
      const number = state.ticket ? state.ticket.number : "";
      showNoTicket("Pieteikums vairs nav pieejams", `Pieteikums ${number} vairs nav jūsu rindā: iespējams, tas nodots citam centram.`, false);
      history.replaceState(null, "", location.pathname + location.search);
    }
  }
}

/** Tells screen-reader users what changed in the open ticket while they were on it. */
function announceChanges(before, after) {
  if (!before || before.id !== after.id) return;
  const known = new Set((before.messages || []).map((m) => m.id));
  const added = (after.messages || []).filter((m) => m && !known.has(m.id) && m.author === "resident");
  if (added.length) {
    announce(`Iedzīvotājs rakstīja pieteikumā ${after.number}: ${shorten(added[added.length - 1].text, 200)}`);
    return;
  }
  const beforeHolder = before.assignee ? before.assignee.id : null;
  const afterHolder = after.assignee ? after.assignee.id : null;
  if (afterHolder !== beforeHolder && after.assignee && !isMine(after)) {
    announce(`Pieteikumu ${after.number} pieņēma ${str(after.assignee.displayName)}.`);
  } else if (before.status !== "closed" && after.status === "closed") {
    announce(`Pieteikums ${after.number} ir slēgts.`);
  }
}

function contextRow(dl, label, value, className) {
  if (value === null || value === undefined || value === "") return null;
  const wrap = el("div", `context-row${className ? ` ${className}` : ""}`);
  wrap.appendChild(el("dt", "", label));
  const dd = el("dd");
  if (typeof value === "string") dd.textContent = value;
  else dd.appendChild(value);
  wrap.appendChild(dd);
  dl.appendChild(wrap);
  return wrap;
}

function phoneLink(phone) {
  const digits = str(phone).replace(/[^\d+]/g, "");
  if (!digits) return str(phone);
  const a = el("a", "phone", phone);
  a.href = `tel:${digits}`;
  return a;
}

function renderContext(t) {
  const dl = ui.context;
  dl.textContent = "";
  const ctx = t.context && typeof t.context === "object" ? t.context : {};
  contextRow(dl, "Numurs", t.number, "context-number");
  contextRow(dl, "Jautājums", str(t.question) || "(nav)", "context-question");
  const reason = str(ctx.reason);
  contextRow(dl, "Kāpēc nodots darbiniekam", REASONS[reason] || reason);
  contextRow(dl, "Pagasts", parishName(t.parish));
  contextRow(dl, "Centrs", centreName(t.centre));
  contextRow(dl, "Valoda", langName(t.lang));
  contextRow(dl, "Kanāls", channelName(t.channel));
  contextRow(dl, "Kā sazināties", CONTACT_NAMES[t.contact] || str(t.contact));
  if (t.phone) contextRow(dl, "Tālrunis atzvanīšanai", phoneLink(t.phone), "context-phone");
  contextRow(dl, "Pamācība, ko bots rādīja", str(ctx.guide));
  const where = [str(ctx.flow), str(ctx.step)].filter(Boolean).join(" → ");
  contextRow(dl, "Kur iedzīvotājs apstājās", where);
  if (ctx.lastQuestion && ctx.lastQuestion !== t.question) contextRow(dl, "Pēdējais jautājums botam", str(ctx.lastQuestion));
  contextRow(dl, "Izveidots", timeEl(t.createdAt));
  if (t.claimedAt) contextRow(dl, "Pieņemts", timeEl(t.claimedAt));
  if (t.closedAt) contextRow(dl, "Slēgts", timeEl(t.closedAt));
}

/** One line of the conversation. `kind`: resident, bot, staff, note, system, pressed. */
function conversationItem(kind, author, text, iso) {
  const li = el("li", `msg msg-${kind}`);
  const head = el("div", "msg-head");
  head.appendChild(el("span", "msg-author", author));
  if (iso) head.appendChild(timeEl(iso));
  li.appendChild(head);
  li.appendChild(el("div", "msg-text", text));
  return li;
}

/** A transcript line from the resident: pressed buttons ("🔘 label") and "/start" read as actions. */
/** A link to a photo or document the resident sent (opened in a new tab, same session). */
function withAttachment(li, attachment) {
  if (!attachment || typeof attachment.url !== "string" || !attachment.url.startsWith("/api/staff/")) return li;
  const link = el("a", "msg-attachment", attachment.kind === "photo" ? "📷 Atvērt attēlu" : "📎 Atvērt pielikumu");
  link.href = new URL(attachment.url.slice(1), ROOT_URL).href;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  li.appendChild(link);
  return li;
}

function transcriptInItem(text) {
  if (/^\/start(\s|$)/.test(text)) return el("li", "msg-start", "Iedzīvotājs sāka sarunu ar DigiPalīgu");
  const pressed = /^🔘\s*(.*)$/u.exec(text);
  if (pressed) return conversationItem("resident", "Iedzīvotājs", `Nospieda pogu: ${pressed[1]}`);
  return conversationItem("resident", "Iedzīvotājs", text);
}

function messageItem(m) {
  const name = m.staff ? str(m.staff.displayName) : "";
  const me = m.staff && state.staff && m.staff.id === state.staff.id;
  switch (m.author) {
    case "resident":
      return withAttachment(conversationItem("resident", "Iedzīvotājs", m.text, m.createdAt), m.attachment);
    case "staff":
      return conversationItem("staff", `${me ? "Jūs" : name || "Darbinieks"} → iedzīvotājam`, m.text, m.createdAt);
    case "note": {
      const li = conversationItem("note", `🔒 Iekšēja piezīme · ${me ? "jūs" : name || "darbinieks"}`, m.text, m.createdAt);
      li.querySelector(".msg-head").appendChild(el("span", "msg-note-flag", "iedzīvotājs neredz"));
      return li;
    }
    case "bot":
      return conversationItem("bot", "DigiPalīgs (bots)", m.text, m.createdAt);
    default: {
      // What happened (created, claimed, transferred, closed): one quiet line.
      const li = el("li", "msg-event", m.text);
      if (m.createdAt) {
        li.appendChild(document.createTextNode(" · "));
        li.appendChild(timeEl(m.createdAt));
      }
      return li;
    }
  }
}

function renderConversation(t) {
  const list = ui.conversation;
  list.textContent = "";
  const transcript = Array.isArray(t.transcript) ? t.transcript : [];
  if (transcript.length) {
    list.appendChild(el("li", "divider", "Saruna ar DigiPalīgu pirms pieteikuma"));
    for (const line of transcript) {
      if (!line || typeof line.text !== "string") continue;
      list.appendChild(line.direction === "in" ? transcriptInItem(line.text) : conversationItem("bot", "DigiPalīgs (bots)", line.text));
    }
  }
  const created = el("li", "divider divider-ticket");
  created.appendChild(document.createTextNode("Pieteikums izveidots "));
  created.appendChild(timeEl(t.createdAt));
  list.appendChild(created);
  const messages = Array.isArray(t.messages) ? t.messages : [];
  for (const m of messages) if (m && typeof m.text === "string") list.appendChild(messageItem(m));
  if (!messages.length) list.appendChild(el("li", "msg-empty", "Pieteikumā vēl nav ziņu."));
}

function renderTicket(t, options) {
  const previous = state.ticket;
  const scroller = ui.conversationScroller;
  const wasAtEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const top = scroller.scrollTop;
  state.ticket = t;
  state.openId = t.id;
  ui.ticketEmpty.hidden = true;
  ui.ticketView.hidden = false;

  ui.ticketNumber.textContent = str(t.number);
  ui.ticketStatus.textContent = STATUS_NAMES[t.status] || str(t.status);
  ui.ticketStatus.className = `badge badge-${t.status}`;

  ui.ticketHolder.textContent = "";
  ui.ticketHolder.className = "ticket-holder";
  if (t.status === "closed") {
    ui.ticketHolder.appendChild(document.createTextNode(t.assignee ? `Strādāja: ${str(t.assignee.displayName)}` : ""));
    if (t.closedAt) {
      ui.ticketHolder.appendChild(document.createTextNode(t.assignee ? ", slēgts " : "Slēgts "));
      ui.ticketHolder.appendChild(timeEl(t.closedAt));
    }
  } else if (!t.assignee) {
    ui.ticketHolder.classList.add("holder-none");
    ui.ticketHolder.appendChild(document.createTextNode("Izveidots "));
    ui.ticketHolder.appendChild(timeEl(t.createdAt));
  } else {
    ui.ticketHolder.classList.add(isMine(t) ? "holder-me" : "holder-other");
    const who = isMine(t) ? "Jūs" : str(t.assignee.displayName);
    ui.ticketHolder.appendChild(document.createTextNode(`Pieņēma: ${who}`));
    if (t.claimedAt) {
      ui.ticketHolder.appendChild(document.createTextNode(" · "));
      ui.ticketHolder.appendChild(timeEl(t.claimedAt));
    }
  }
  ui.claimBar.hidden = t.status !== "waiting";
  ui.ticketCallback.textContent = "";
  ui.ticketCallback.hidden = t.contact !== "phone" || t.status === "closed";
  if (!ui.ticketCallback.hidden) {
    ui.ticketCallback.appendChild(el("span", "", "📞 Iedzīvotājs lūdz atzvanīt"));
    if (t.phone) {
      ui.ticketCallback.appendChild(document.createTextNode(": "));
      ui.ticketCallback.appendChild(phoneLink(t.phone));
    }
  }
  updateTitle();

  renderContext(t);
  renderConversation(t);

  const closed = t.status === "closed";
  const others = t.status === "assigned" && !isMine(t);
  ui.composer.hidden = closed;
  ui.closedInfo.hidden = !closed;
  ui.closedInfo.textContent = "";
  if (closed) {
    ui.closedInfo.appendChild(el("p", "closed-title", "Pieteikums ir slēgts."));
    if (t.closeReason) ui.closedInfo.appendChild(el("p", "", `Iemesls: ${t.closeReason}`));
    if (typeof t.rating === "number") ui.closedInfo.appendChild(el("p", "", `Iedzīvotāja vērtējums: ${t.rating} no 5`));
    else ui.closedInfo.appendChild(el("p", "muted", "Iedzīvotājs vēl nav novērtējis palīdzību."));
    if (t.ratingComment) ui.closedInfo.appendChild(el("p", "", `Komentārs: ${t.ratingComment}`));
  }
  const lang = LANG_ADVERB[t.lang];
  const where = CHANNELS[t.channel] ? `Iedzīvotājs to saņems ${CHANNELS[t.channel]}.` : "Iedzīvotājs to saņems sarunā ar DigiPalīgu.";
  ui.replyHint.textContent = others && !isAdmin()
    ? `Šo pieteikumu pieņēma ${str(t.assignee.displayName)} – atbildēt var tikai šis darbinieks. Jūs varat pievienot iekšēju piezīmi.`
    : `${where}${lang ? ` Rakstiet ${lang}.` : ""}${t.status === "waiting" ? " Nosūtot atbildi, pieteikums kļūs jūsu." : ""}`;
  const replyLocked = others && !isAdmin();
  ui.replyText.disabled = replyLocked;
  ui.replySend.setAttribute("aria-disabled", String(replyLocked));
  ui.replyForm.classList.toggle("is-locked", replyLocked);

  fillTransfer(t);
  ui.transferToggle.hidden = closed || ui.transferCentre.options.length < 2;
  ui.closeToggle.hidden = closed;
  if (closed) closePanels(false);

  // Last, when the layout is final: the newest message in view, or the reader's place kept.
  if (options.scrollToEnd || !previous || previous.id !== t.id || wasAtEnd) {
    scroller.scrollTop = scroller.scrollHeight;
    state.stickToEnd = true;
  } else {
    scroller.scrollTop = top;
  }
}

function fillTransfer(t) {
  const keep = ui.transferCentre.value;
  ui.transferCentre.textContent = "";
  ui.transferCentre.appendChild(new window.Option("– izvēlieties centru –", ""));
  for (const centre of state.centres) {
    if (centre.id === t.centre) continue;
    ui.transferCentre.appendChild(new window.Option(centreName(centre.id), centre.id));
  }
  ui.transferCentre.value = keep && keep !== t.centre ? keep : "";
}

// ---------------------------------------------------------------------------------------------
// The transfer and close panels under the ticket's header

const panels = () => [[ui.transferToggle, ui.transferPanel], [ui.closeToggle, ui.closePanel]];

function openPanel(toggle) {
  for (const [button, panel] of panels()) {
    const open = button === toggle && panel.hidden;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      hideAlert(toggle === ui.closeToggle ? ui.closeAlert : ui.transferAlert);
      (toggle === ui.closeToggle ? ui.closeReason : ui.transferCentre).focus();
    }
  }
}

/** Closes whichever panel is open; with `focus`, the focus goes back to its button. */
function closePanels(focus) {
  for (const [button, panel] of panels()) {
    const wasOpen = !panel.hidden;
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (wasOpen && focus && !button.hidden) button.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Actions on the open ticket

/**
 * Runs one action on the open ticket: the button shows it is busy, the answer's ticket is
 * drawn, the queue is fetched again. Errors are shown in `alertNode`; on 409 the ticket is
 * fetched again so that who holds it now is seen. Returns the new ticket or null.
 */
async function act(button, alertNode, path, body) {
  const ticket = state.ticket;
  if (!ticket || state.busy) return null;
  clearTicketNotices();
  setBusy(button, true);
  const seq = ++state.ticketSeq;
  try {
    const data = await api("POST", `api/staff/tickets/${ticket.id}/${path}`, body);
    setBusy(button, false);
    if (data.ticket && seq === state.ticketSeq && state.openId === ticket.id) renderTicket(data.ticket, { scrollToEnd: true });
    void refreshQueue();
    return data.ticket || ticket;
  } catch (error) {
    setBusy(button, false);
    if (!state.staff) return null;
    let text = errorText(error);
    if (error.code === "already_claimed") {
      await refreshTicket();
      const holder = state.ticket && state.ticket.assignee ? str(state.ticket.assignee.displayName) : "";
      if (holder && !isMine(state.ticket)) text = `${ERRORS.already_claimed} (${holder})`;
    } else if (error.status === 409) {
      await refreshTicket();
    }
    void refreshQueue();
    if (!ui.ticketView.hidden) showAlert(alertNode, text);
    else ui.ticketEmptyText.textContent = text;
    return null;
  }
}

async function claim() {
  const done = await act(ui.claim, ui.ticketAlert, "claim");
  if (!done) return;
  showInfo("Pieteikums pieņemts. Tas tagad ir sadaļā “Mani”.");
  setMode("reply", false);
  ui.replyText.focus();
}

async function sendReply(event) {
  event.preventDefault();
  if (ui.replySend.getAttribute("aria-disabled") === "true") return;
  const text = ui.replyText.value.trim();
  if (!text) {
    showAlert(ui.composerAlert, "Ierakstiet atbildes tekstu.");
    ui.replyText.focus();
    return;
  }
  const done = await act(ui.replySend, ui.composerAlert, "reply", { text });
  if (!done) return;
  if (ui.replyText.value.trim() === text) ui.replyText.value = "";
  showInfo("Atbilde nosūtīta iedzīvotājam.", true);
  ui.replyText.focus();
}

async function saveNote(event) {
  event.preventDefault();
  const button = $("note-save");
  const text = ui.noteText.value.trim();
  if (!text) {
    showAlert(ui.composerAlert, "Ierakstiet piezīmes tekstu.");
    ui.noteText.focus();
    return;
  }
  const done = await act(button, ui.composerAlert, "note", { text });
  if (!done) return;
  if (ui.noteText.value.trim() === text) ui.noteText.value = "";
  showInfo("Piezīme saglabāta. Iedzīvotājs to neredz.", true);
  ui.noteText.focus();
}

async function transfer(event) {
  event.preventDefault();
  const centre = ui.transferCentre.value;
  if (!centre) {
    showAlert(ui.transferAlert, "Izvēlieties centru, kam nodot pieteikumu.");
    ui.transferCentre.focus();
    return;
  }
  const number = state.ticket ? state.ticket.number : "";
  const done = await act($("transfer-button"), ui.transferAlert, "transfer", { centre });
  if (!done) return;
  const text = `Pieteikums ${number} nodots: ${centreName(centre)}.`;
  ui.transferCentre.value = "";
  closePanels(false);
  announce(text);
  // The other centre's ticket may no longer be ours to see: check, and say so either way.
  await refreshTicket();
  if (state.openId) {
    showInfo(text);
  } else {
    ui.ticketEmptyTitle.textContent = "Pieteikums nodots";
    ui.ticketEmptyText.textContent = `${text} Tas vairs nav jūsu rindā.`;
  }
}

async function closeTicket(event) {
  event.preventDefault();
  const reason = ui.closeReason.value.trim();
  if (!reason) {
    showAlert(ui.closeAlert, "Ierakstiet slēgšanas iemeslu – bez tā pieteikumu nevar slēgt.");
    ui.closeReason.setAttribute("aria-invalid", "true");
    ui.closeReason.focus();
    return;
  }
  ui.closeReason.removeAttribute("aria-invalid");
  const done = await act($("close-button"), ui.closeAlert, "close", { reason });
  if (!done) return;
  ui.closeReason.value = "";
  closePanels(false);
  showInfo("Pieteikums slēgts. Iedzīvotājam lūgts novērtēt palīdzību.");
  ui.ticketTitle.focus();
}

function setMode(mode, focus) {
  state.mode = mode;
  for (const button of document.querySelectorAll(".composer-tab")) {
    const selected = button.getAttribute("data-mode") === mode;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
  }
  ui.replyForm.hidden = mode !== "reply";
  ui.noteForm.hidden = mode !== "note";
  ui.composer.classList.toggle("mode-note", mode === "note");
  hideAlert(ui.composerAlert);
  if (focus) (mode === "note" ? ui.noteText : ui.replyText).focus();
}

// ---------------------------------------------------------------------------------------------
// Live updates

function setConnection(status) {
  ui.connection.setAttribute("data-state", status);
  ui.connectionText.textContent = status === "online"
    ? "Rinda atjaunojas pati"
    : status === "offline" ? "Nav savienojuma – mēģinu vēlreiz…" : "Savienojas…";
}

function closeEvents() {
  clearTimeout(state.reconnectTimer);
  if (state.events) state.events.close();
  state.events = null;
}

function openEvents() {
  closeEvents();
  if (!state.staff || typeof EventSource === "undefined") return;
  setConnection("connecting");
  const source = new EventSource(new URL("api/staff/events", ROOT_URL).href);
  state.events = source;
  source.addEventListener("open", () => {
    if (state.events !== source) return;
    state.reconnectDelay = 2000;
    setConnection("online");
    // Events may have been missed while the stream was down.
    if (state.eventsDown) {
      state.eventsDown = false;
      void refreshAll();
    }
  });
  // The server says `ready` once it is subscribed: fetch again, so that nothing that happened
  // between the last fetch and the subscription is missed.
  source.addEventListener("ready", () => {
    if (state.events === source) void refreshAll();
  });
  const onTicketEvent = (event) => {
    if (state.events !== source) return;
    let data = null;
    try {
      data = JSON.parse(event.data);
    } catch {
      /* not ours: refresh anyway */
    }
    scheduleRefresh(data && typeof data.ticketId === "number" ? data.ticketId : null);
  };
  // Events are named `ticket`; unnamed ones are taken the same way.
  source.addEventListener("ticket", onTicketEvent);
  source.addEventListener("message", onTicketEvent);
  source.addEventListener("error", () => {
    if (state.events !== source) return;
    state.eventsDown = true;
    setConnection("offline");
    // The browser reconnects by itself unless the server refused the stream (e.g. 401).
    if (source.readyState !== EventSource.CLOSED) return;
    state.events = null;
    const delay = state.reconnectDelay;
    state.reconnectDelay = Math.min(delay * 2, 60000);
    state.reconnectTimer = setTimeout(async () => {
      try {
        const me = await api("GET", "api/staff/me");
        if (me && typeof me.csrfToken === "string") state.csrf = me.csrfToken;
      } catch (error) {
        if (error.status === 401) return; // sessionLost() has run
      }
      if (state.staff) openEvents();
    }, delay);
  });
}

function scheduleRefresh(ticketId) {
  if (ticketId === null) {
    if (state.openId) state.pendingIds.add(state.openId);
  } else {
    state.pendingIds.add(ticketId);
  }
  clearTimeout(state.debounceTimer);
  state.debounceTimer = setTimeout(() => {
    const ids = state.pendingIds;
    state.pendingIds = new Set();
    void refreshQueue();
    if (state.openId && ids.has(state.openId)) void refreshTicket();
  }, EVENT_DEBOUNCE_MS);
}

async function refreshAll() {
  await Promise.all([refreshQueue(), refreshTicket()]);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  ui.loginForm.addEventListener("submit", login);
  ui.logout.addEventListener("click", () => void logout());

  ui.centreFilter.addEventListener("change", () => {
    state.centre = ui.centreFilter.value;
    state.listsLoaded = false;
    state.seenWaiting = new Set();
    state.fresh = new Set();
    state.lists = { waiting: [], assigned: [], mine: [] };
    savePrefs();
    renderQueue();
    void refreshQueue();
  });

  const tabs = Array.from(document.querySelectorAll(".tabs [role=tab]"));
  for (const button of tabs) {
    button.addEventListener("click", () => {
      selectTab(button.getAttribute("data-tab"), false);
      savePrefs();
    });
    button.addEventListener("keydown", (event) => tabKeys(event, tabs, (next) => {
      selectTab(next.getAttribute("data-tab"), true);
      savePrefs();
    }));
  }

  const modes = Array.from(document.querySelectorAll(".composer-tab"));
  for (const button of modes) {
    button.addEventListener("click", () => setMode(button.getAttribute("data-mode"), false));
    button.addEventListener("keydown", (event) => tabKeys(event, modes, (next) => {
      setMode(next.getAttribute("data-mode"), false);
      next.focus();
    }));
  }

  // A click on the ticket already open (no hash change) still moves the focus there.
  ui.queueList.addEventListener("click", (event) => {
    const link = event.target instanceof window.Element ? event.target.closest(".ticket-link") : null;
    if (link && link.getAttribute("href") === location.hash) {
      event.preventDefault();
      route(true);
    }
  });
  window.addEventListener("hashchange", () => route(true));

  ui.claim.addEventListener("click", () => void claim());
  ui.replyForm.addEventListener("submit", sendReply);
  ui.noteForm.addEventListener("submit", saveNote);
  ui.transferPanel.addEventListener("submit", transfer);
  ui.closePanel.addEventListener("submit", closeTicket);
  ui.transferToggle.addEventListener("click", () => openPanel(ui.transferToggle));
  ui.closeToggle.addEventListener("click", () => openPanel(ui.closeToggle));
  for (const [, panel] of panels()) {
    panel.querySelector(".panel-cancel").addEventListener("click", () => closePanels(true));
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closePanels(true);
      }
    });
  }

  // Keep the newest message in view while the conversation's box changes size (notices,
  // the composer), unless the reader has scrolled up.
  ui.conversationScroller.addEventListener("scroll", () => {
    const s = ui.conversationScroller;
    state.stickToEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 40;
  }, { passive: true });
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(() => {
      if (state.stickToEnd) ui.conversationScroller.scrollTop = ui.conversationScroller.scrollHeight;
    }).observe(ui.conversationScroller);
  }
  ui.closeReason.addEventListener("input", () => {
    ui.closeReason.removeAttribute("aria-invalid");
    hideAlert(ui.closeAlert);
  });

  // Ctrl+Enter (⌘+Enter) sends; Enter alone starts a new line.
  for (const [area, form] of [[ui.replyText, ui.replyForm], [ui.noteText, ui.noteForm]]) {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  window.addEventListener("pagehide", closeEvents);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && state.staff) {
      openEvents();
      void refreshAll();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.staff && Date.now() - state.lastQueueAt > 15000) void refreshAll();
  });
}

wire();
requestAnimationFrame(() => void boot());
