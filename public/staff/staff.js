/* global window, document, location, history, localStorage, EventSource, ResizeObserver, URL, URLSearchParams, setTimeout, clearTimeout, setInterval, requestAnimationFrame, console */
/**
 * DigiPalīgs staff console (ES module, no build step; Chart.js is loaded before it by a plain
 * <script> and used when present).
 *
 * Client service staff answer the residents' questions that the bot could not: a queue per
 * centre on the left, the open ticket on the right. The API is described in docs/staff-api.md.
 * Content editors (and admins) also get "Izmēģināt jautājumu" (what the bot would answer, and
 * why), "Instrukcijas" (the guides, their review dates and whether the content loaded),
 * "Neatbildētie" (what residents asked that the bot could not answer) and "Rādītāji" (the
 * municipality's indicators with charts). The parts are pages of the same console, chosen in
 * the header by role and addressed by the URL's hash (#izmeginat, #instrukcijas, …).
 *
 * - The session is an HTTP-only cookie that this page never touches; the CSRF token from the
 *   login (or GET /api/staff/me after a reload) is kept in memory and sent in `x-csrf-token`
 *   with every POST.
 * - Live updates come from server-sent events (/api/staff/events, `ticket` events): the queue
 *   and the open ticket are fetched again; new waiting tickets are highlighted and announced.
 * - Texts from the server are plain text: they are only ever set through textContent.
 */
import { ApiError, requestJson } from "../static/api-client.js";
import { renderText } from "../static/render-text.js";

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

/** The console's pages, in the header's order: their address and who may see them. */
const PAGES = {
  queue: { hash: "#rinda", title: "Pieteikumu rinda", roles: ["agent", "admin"] },
  try: { hash: "#izmeginat", title: "Izmēģināt jautājumu", roles: ["editor", "admin"] },
  guides: { hash: "#instrukcijas", title: "Instrukcijas", roles: ["editor", "admin"] },
  unanswered: { hash: "#neatbildetie", title: "Neatbildētie", roles: ["editor", "admin"] },
  dashboard: { hash: "#raditaji", title: "Rādītāji", roles: ["editor", "admin"] },
};
const PAGE_ORDER = ["queue", "try", "guides", "unanswered", "dashboard"];
/** Default periods: the unanswered questions of the last 30 days, the indicators of 3 months. */
const UNANSWERED_DAYS = 30;
const DASHBOARD_MONTHS = 3;

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
  pages: [],
  page: "",
  content: null,
  contentAt: 0,
  contentLoading: null,
  trySeq: 0,
  unansweredSeq: 0,
  unansweredLoadedFor: "",
  dashboardSeq: 0,
  dashboardLoadedFor: "",
  dashboardAt: 0,
  charts: [],
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
  pageNav: $("page-nav"),
  tryForm: $("try-form"),
  tryText: $("try-text"),
  tryLang: $("try-lang"),
  tryButton: $("try-button"),
  tryAlert: $("try-alert"),
  tryPreview: $("try-preview"),
  tryReplies: $("try-replies"),
  tryWhy: $("try-why"),
  tryExplain: $("try-explain"),
  tryFacts: $("try-facts"),
  tryGuides: $("try-guides"),
  tryNone: $("try-none"),
  guidesAlert: $("guides-alert"),
  guidesRefresh: $("guides-refresh"),
  contentStatus: $("content-status"),
  guidesCount: $("guides-count"),
  guidesSummary: $("guides-summary"),
  guidesBody: $("guides-body"),
  guidesEmpty: $("guides-empty"),
  flowsCount: $("flows-count"),
  flowsBody: $("flows-body"),
  flowsEmpty: $("flows-empty"),
  unansweredForm: $("unanswered-form"),
  unansweredFrom: $("unanswered-from"),
  unansweredTo: $("unanswered-to"),
  unansweredCsv: $("unanswered-csv"),
  unansweredAlert: $("unanswered-alert"),
  unansweredCount: $("unanswered-count"),
  unansweredSummary: $("unanswered-summary"),
  unansweredBody: $("unanswered-body"),
  unansweredEmpty: $("unanswered-empty"),
  dashboardForm: $("dashboard-form"),
  dashboardFrom: $("dashboard-from"),
  dashboardTo: $("dashboard-to"),
  dashboardCsv: $("dashboard-csv"),
  dashboardJson: $("dashboard-json"),
  dashboardAlert: $("dashboard-alert"),
  dashboardStatus: $("dashboard-status"),
  dashboardBody: $("dashboard-body"),
  headline: $("headline"),
  charts: $("charts"),
};

const isMine = (ticket) => Boolean(ticket && ticket.assignee && state.staff && ticket.assignee.id === state.staff.id);
const isAdmin = () => Boolean(state.staff && state.staff.role === "admin");
const hasQueue = () => state.pages.indexOf("queue") !== -1;

// ---------------------------------------------------------------------------------------------
// API

function request(method, path, body) {
  return requestJson(new URL(path, ROOT_URL).href, {
    method, body, headers: method !== "GET" && state.csrf ? { "x-csrf-token": state.csrf } : {}, timeoutMs: REQUEST_TIMEOUT_MS,
  });
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
  ui.userBar.hidden = view !== "console";
  ui.pageNav.hidden = view !== "console" || state.pages.length < 2;
  if (view !== "console") {
    ui.consoleView.hidden = true;
    for (const page of PAGE_ORDER) if (page !== "queue") $(`page-${page}`).hidden = true;
  }
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
  resetPages();
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
  state.pages = pagesFor(data.staff.role);
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

  setupPages();
  if (!hasQueue()) {
    // Editors: no queue, no live ticket events.
    ui.connection.hidden = true;
    setView("console");
    routePage(focus);
    return;
  }
  ui.connection.hidden = false;
  const saved = prefs.read();
  state.tab = TABS.indexOf(saved.tab) !== -1 ? saved.tab : "waiting";
  fillCentreFilter(saved.centre);
  selectTab(state.tab, false);
  setView("console");
  showPage(pageFromHash(), focus);

  openEvents();
  await refreshQueue();
  if (!state.staff) return;
  if (state.page === "queue") route(false);
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
  const open = state.page !== "queue" && PAGES[state.page]
    ? `${PAGES[state.page].title} · `
    : state.ticket && !ui.ticketView.hidden ? `${str(state.ticket.number)} · ` : "";
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
      if (ticketIdFromHash() === id) history.replaceState(null, "", location.pathname + location.search);
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
  contextRow(dl, "Kāpēc nodots darbiniekam", str(t.reasonText) || reason);
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
// Pages: the queue for client service, the content tools and indicators for editors and admins

/** The pages a role may see, in the header's order (an unknown role gets the queue only). */
function pagesFor(role) {
  const known = role === "editor" || role === "admin" ? role : "agent";
  return PAGE_ORDER.filter((page) => PAGES[page].roles.indexOf(known) !== -1);
}

/** Shows the header's links of the pages this member of staff may see. */
function setupPages() {
  for (const item of ui.pageNav.querySelectorAll("li[data-page]")) {
    item.hidden = state.pages.indexOf(item.getAttribute("data-page")) === -1;
  }
  initPeriods();
}

/** The page the address asks for, or the role's first page. */
function pageFromHash() {
  const hash = location.hash;
  if (hash.indexOf(HASH_PREFIX) === 0 && hasQueue()) return "queue";
  const wanted = PAGE_ORDER.find((page) => PAGES[page].hash === hash);
  return wanted && state.pages.indexOf(wanted) !== -1 ? wanted : state.pages[0];
}

/** Follows the address: shows its page (and, on the queue page, its ticket). */
function routePage(focus) {
  if (!state.staff) return;
  const page = pageFromHash();
  showPage(page, focus && page !== state.page);
  if (page === "queue") route(focus);
}

const PAGE_TITLES = { queue: "queueTitle", try: "try-title", guides: "guides-title", unanswered: "unanswered-title", dashboard: "dashboard-title" };

function showPage(page, focus) {
  const before = state.page;
  state.page = page;
  root.setAttribute("data-page", page);
  ui.consoleView.hidden = page !== "queue";
  for (const other of PAGE_ORDER) if (other !== "queue") $(`page-${other}`).hidden = other !== page;
  for (const link of ui.pageNav.querySelectorAll(".page-link")) {
    const item = link.parentElement;
    const current = item && item.getAttribute("data-page") === page;
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  // Back to the queue keeps the open ticket.
  const queueLink = ui.pageNav.querySelector('li[data-page="queue"] .page-link');
  if (queueLink) queueLink.setAttribute("href", page !== "queue" && state.openId ? `${HASH_PREFIX}${state.openId}` : PAGES.queue.hash);
  updateTitle();
  if (page === "guides") void loadGuides(before === page);
  else if (page === "unanswered") void loadUnanswered(false);
  else if (page === "dashboard") void loadDashboard(false);
  if (focus) {
    const heading = page === "queue" ? ui.queueTitle : $(PAGE_TITLES[page]);
    if (heading) heading.focus();
  }
}

/** Forgets what the pages showed (on logout or a lost session). */
function resetPages() {
  state.page = "";
  state.content = null;
  state.contentAt = 0;
  state.contentLoading = null;
  state.trySeq++;
  state.unansweredSeq++;
  state.dashboardSeq++;
  state.unansweredLoadedFor = "";
  state.dashboardLoadedFor = "";
  destroyCharts();
  root.removeAttribute("data-page");
  ui.tryText.value = "";
  ui.tryLang.value = "";
  ui.tryPreview.hidden = true;
  ui.tryWhy.hidden = true;
  ui.tryReplies.textContent = "";
  ui.tryGuides.textContent = "";
  for (const node of [ui.tryAlert, ui.guidesAlert, ui.unansweredAlert, ui.dashboardAlert]) hideAlert(node);
  ui.contentStatus.hidden = true;
  ui.guidesBody.textContent = "";
  ui.flowsBody.textContent = "";
  ui.unansweredBody.textContent = "";
  ui.unansweredSummary.textContent = "";
  ui.dashboardBody.hidden = true;
  ui.headline.textContent = "";
  ui.charts.textContent = "";
}

// ---------------------------------------------------------------------------------------------
// Words and numbers for the content pages

const INTENT_NAMES = {
  guide: "Atbild ar instrukciju",
  flow: "Sāk soli-pa-solim ceļvedi",
  escalate: "Piedāvā sazināties ar darbinieku",
  fallback: "Nezina atbildi",
};
const REASON_NAMES = {
  fallback: "Nezināja atbildi",
  lowConfidence: "Atbilde nebija droša",
  feedbackDown: "Iedzīvotājs atzīmēja „nepalīdzēja”",
  escalation: "Lūdza darbinieka palīdzību",
};
const LANG_ORDER = ["lv", "ru", "en"];
const LANG_SHORT = { lv: "LV", ru: "RU", en: "EN" };

const numberFormat = new Intl.NumberFormat("lv-LV");
const decimalFormat = new Intl.NumberFormat("lv-LV", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const num = (n) => (typeof n === "number" && Number.isFinite(n) ? numberFormat.format(n) : "–");
const isNum = (n) => typeof n === "number" && Number.isFinite(n);

/** 0.853 → "85 %" (a share from 0 to 1; values above 1 are taken as percent already). */
function percent(share) {
  if (!isNum(share)) return "–";
  const value = share > 1 ? share : share * 100;
  return `${numberFormat.format(Math.round(value))} %`;
}

/** Latvian plural: 1, 21, 31 … take the singular (but not 11). */
function plural(n, one, many) {
  return Math.abs(n) % 10 === 1 && Math.abs(n) % 100 !== 11 ? one : many;
}

/** "2026-07-10" → "10.07.2026." (the date as written). */
function lvDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(ymd));
  return m ? `${m[3]}.${m[2]}.${m[1]}.` : str(ymd);
}

/** A local date as "YYYY-MM-DD". */
function isoDate(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Minutes as "14 min", "2 st. 40 min", "1 d. 3 st.". */
function duration(minutes) {
  if (!isNum(minutes)) return "–";
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days} d. ${hours} st.` : `${days} d.`;
  return mins > 0 ? `${hours} st. ${mins} min` : `${hours} st.`;
}

/** The title of a guide in Latvian (or another language) from the content, else its id. */
function guideTitle(id) {
  const guide = state.content && state.content.guideById ? state.content.guideById.get(id) : null;
  if (guide && guide.langs) {
    for (const lang of LANG_ORDER) if (guide.langs[lang] && guide.langs[lang].title) return str(guide.langs[lang].title);
  }
  return str(id);
}

function flowTitle(id) {
  const flow = state.content && state.content.flowById ? state.content.flowById.get(id) : null;
  const title = flow && flow.title && typeof flow.title === "object" ? flow.title.lv || flow.title.en || flow.title.ru : "";
  return str(title) || str(id);
}

/** "knowledge/lv/x.md:12: message" → { where, message }. */
function splitProblem(line) {
  const m = /^(.+?:\d+(?::\d+)?):\s*(.*)$/.exec(str(line));
  return m ? { where: m[1], message: m[2] } : { where: "", message: str(line) };
}

function problemItem(line) {
  const li = el("li", "problem");
  const { where, message } = splitProblem(line);
  if (where) li.appendChild(el("code", "problem-where", where));
  li.appendChild(el("span", "problem-message", message));
  return li;
}

/** Loads the guides and flows (kept for titles elsewhere); shared by the pages. */
async function fetchContent(force) {
  if (!force && state.content && Date.now() - state.contentAt < 60000) return state.content;
  if (state.contentLoading) return state.contentLoading;
  const loading = (async () => {
    const data = await api("GET", "api/staff/content");
    const guides = Array.isArray(data.guides) ? data.guides.filter((g) => g && typeof g.id === "string") : [];
    const flows = Array.isArray(data.flows) ? data.flows.filter((f) => f && typeof f.id === "string") : [];
    state.content = {
      status: data.status && typeof data.status === "object" ? data.status : null,
      guides,
      flows,
      guideById: new Map(guides.map((g) => [g.id, g])),
      flowById: new Map(flows.map((f) => [f.id, f])),
    };
    state.contentAt = Date.now();
    return state.content;
  })();
  state.contentLoading = loading;
  try {
    return await loading;
  } finally {
    if (state.contentLoading === loading) state.contentLoading = null;
  }
}

function pageErrorText(error) {
  if (error && error.status === 403) return "Jums nav piekļuves šai sadaļai. Ja tā ir kļūda, sazinieties ar administratoru.";
  if (error && error.status === 404) return "Šī sadaļa serverī vēl nav pieejama.";
  return errorText(error);
}

/** A button that says it is working (aria-disabled, so it keeps the focus). */
function working(button, busy) {
  if (!button) return;
  button.setAttribute("aria-disabled", String(busy));
  button.classList.toggle("is-working", busy);
}

// ---------------------------------------------------------------------------------------------
// "Izmēģināt jautājumu": what a resident would get, and why

/** The conversation as the resident would see it: their question, then the bot's replies. */
function renderPreview(question, replies) {
  const box = ui.tryReplies;
  box.textContent = "";
  const asked = el("div", "pv-msg pv-user");
  asked.appendChild(el("span", "visually-hidden", "Iedzīvotājs: "));
  asked.appendChild(el("div", "pv-bubble", question));
  box.appendChild(asked);
  for (const reply of replies) {
    if (!reply || typeof reply !== "object") continue;
    const wrap = el("div", "pv-msg pv-bot");
    wrap.appendChild(el("span", "visually-hidden", "DigiPalīgs: "));
    const bubble = el("div", "pv-bubble");
    renderText(bubble, str(reply.text), "(atveras jaunā cilnē)");
    wrap.appendChild(bubble);
    const buttons = Array.isArray(reply.buttons) ? reply.buttons.filter((b) => b && typeof b.label === "string") : [];
    if (buttons.length) {
      const list = el("ul", "chips");
      list.setAttribute("aria-label", "Pogas, ko iedzīvotājs redzētu");
      for (const b of buttons) list.appendChild(el("li", "chip", b.label));
      wrap.appendChild(list);
    }
    box.appendChild(wrap);
  }
}

/** "jo sakrita 3 no 4 jautājuma vārdiem" when the server tells the question's words, else the share. */
function matchWords(hit, result) {
  const matched = Array.isArray(hit.matched) ? Array.from(new Set(hit.matched.filter((w) => typeof w === "string"))) : [];
  const terms = Array.isArray(result.terms) ? result.terms : Array.isArray(result.words) ? result.words : null;
  const n = matched.length;
  if (terms && terms.length >= n && terms.length > 0) {
    return `sakrita ${n} no ${terms.length} jautājuma ${plural(terms.length, "vārda", "vārdiem")}`;
  }
  const words = `${n} ${plural(n, "jautājuma vārds", "jautājuma vārdi")}`;
  return `sakrita ${words}${n ? ` (${matched.join(", ")})` : ""}, sakritība ${percent(hit.coverage)}`;
}

/** One plain sentence: what the bot does with this question, and why. `tone`: ok, warn, info. */
function explainTry(result, guides) {
  const best = guides[0];
  const answeredId = result.answered && typeof result.answered.id === "string" ? result.answered.id : "";
  const answered = guides.find((g) => g.id === answeredId) || null;
  const title = (g) => `«${str(g.title) || guideTitle(g.id)}»`;
  switch (result.intent) {
    case "guide":
      if (answered) return { tone: "ok", text: `Atbildēja instrukcija ${title(answered)}, jo ${matchWords(answered, result)}.` };
      if (answeredId) return { tone: "ok", text: `Atbildēja instrukcija «${guideTitle(answeredId)}».` };
      return { tone: "ok", text: "DigiPalīgs atbildētu ar instrukciju." };
    case "flow":
      return { tone: "ok", text: answered
        ? `DigiPalīgs sāktu soli-pa-solim ceļvedi pēc instrukcijas ${title(answered)}.`
        : "DigiPalīgs sāktu vai turpinātu soli-pa-solim ceļvedi." };
    case "escalate":
      return { tone: "info", text: "Iedzīvotājs lūdz cilvēka palīdzību – DigiPalīgs piedāvās sazināties ar klientu apkalpošanas centra darbinieku." };
    default:
      if (!best) return { tone: "warn", text: "Neviena instrukcija nesatur šī jautājuma vārdus – iedzīvotājs saņems „nezinu” un galveno tēmu sarakstu." };
      if (result.confident === true) return { tone: "info", text: "DigiPalīgs to uztver kā sasveicināšanos vai pateicību – atbild pieklājīgi un piedāvā tēmas." };
      return { tone: "warn", text: `Nav pietiekami drošas atbildes – iedzīvotājs saņems „nezinu”. Tuvākā bija instrukcija ${title(best)}: ${matchWords(best, result)}.` };
  }
}

function factRow(dl, label, value) {
  const wrap = el("div", "fact");
  wrap.appendChild(el("dt", "", label));
  const dd = el("dd");
  if (typeof value === "string") dd.textContent = value;
  else dd.appendChild(value);
  wrap.appendChild(dd);
  dl.appendChild(wrap);
}

function coverageCell(share) {
  const td = el("td", "coverage");
  const value = isNum(share) ? Math.max(0, Math.min(1, share > 1 ? share / 100 : share)) : 0;
  const bar = el("span", "bar");
  bar.setAttribute("aria-hidden", "true");
  const fill = el("span", "bar-fill");
  fill.style.width = `${Math.round(value * 100)}%`;
  bar.appendChild(fill);
  td.appendChild(bar);
  td.appendChild(el("span", "bar-value", percent(share)));
  return td;
}

function tagList(words, label) {
  const list = el("ul", "tags");
  if (label) list.setAttribute("aria-label", label);
  for (const word of words) list.appendChild(el("li", "tag", word));
  return list;
}

function renderTry(result, question, chosenLang) {
  const guides = Array.isArray(result.guides) ? result.guides.filter((g) => g && typeof g.id === "string") : [];
  const replies = Array.isArray(result.replies) ? result.replies : [];
  renderPreview(question, replies);

  const explained = explainTry(result, guides);
  ui.tryExplain.textContent = explained.text;
  ui.tryExplain.className = `explain explain-${explained.tone}`;

  const facts = ui.tryFacts;
  facts.textContent = "";
  const lang = langName(result.lang) || "nav zināma";
  factRow(facts, "Valoda", chosenLang ? `${lang} (izvēlēta)` : `${lang} (noteikta pēc teksta)`);
  factRow(facts, "Ko DigiPalīgs dara", INTENT_NAMES[result.intent] || str(result.intent));
  if (result.answered && typeof result.answered.id === "string" && result.answered.anchor) {
    factRow(facts, "Instrukcijas sadaļa", el("code", "", str(result.answered.anchor)));
  }

  const body = ui.tryGuides;
  body.textContent = "";
  guides.forEach((g, i) => {
    const tr = el("tr", "");
    const isAnswer = result.answered && result.answered.id === g.id;
    if (isAnswer) tr.classList.add("is-answer");
    tr.appendChild(el("td", "num rank", String(i + 1)));
    const th = el("th", "guide-cell");
    th.scope = "row";
    const full = str(g.title) || guideTitle(g.id);
    const shortTitle = el("span", "guide-title", shortTitleOf(full));
    if (shortTitle.textContent !== full) shortTitle.title = full;
    th.appendChild(shortTitle);
    if (isAnswer) th.appendChild(el("span", "badge badge-answer", "Atbildēja"));
    th.appendChild(el("code", "guide-id", g.id));
    tr.appendChild(th);
    tr.appendChild(el("td", "num", isNum(g.score) ? num(Math.round(g.score * 10) / 10) : "–"));
    tr.appendChild(coverageCell(g.coverage));
    const words = el("td", "");
    const matched = Array.isArray(g.matched) ? Array.from(new Set(g.matched.filter((w) => typeof w === "string"))) : [];
    if (matched.length) words.appendChild(tagList(matched, null));
    else words.appendChild(el("span", "muted", "–"));
    tr.appendChild(words);
    body.appendChild(tr);
  });
  ui.tryNone.hidden = guides.length > 0;
  ui.tryPreview.hidden = false;
  ui.tryWhy.hidden = false;
  announce(explained.text);
}

/** A title up to its first dash or colon, as on the bot's buttons. */
function shortTitleOf(title) {
  return str(title).split(/\s+[–—-]\s+|:\s/)[0] || str(title);
}

async function tryQuestion(event) {
  if (event) event.preventDefault();
  if (ui.tryButton.getAttribute("aria-disabled") === "true") return;
  const question = ui.tryText.value.trim();
  hideAlert(ui.tryAlert);
  if (!question) {
    showAlert(ui.tryAlert, "Ierakstiet jautājumu, ko izmēģināt.");
    ui.tryText.setAttribute("aria-invalid", "true");
    ui.tryText.focus();
    return;
  }
  ui.tryText.removeAttribute("aria-invalid");
  const lang = ui.tryLang.value;
  const seq = ++state.trySeq;
  working(ui.tryButton, true);
  try {
    const result = await api("POST", "api/staff/try", lang ? { text: question, lang } : { text: question });
    if (seq !== state.trySeq) return;
    renderTry(result, question, lang);
  } catch (error) {
    if (seq !== state.trySeq || !state.staff) return;
    showAlert(ui.tryAlert, pageErrorText(error));
  } finally {
    if (seq === state.trySeq) working(ui.tryButton, false);
  }
}

/** Opens "Izmēģināt jautājumu" with a question already tried (from "Neatbildētie"). */
function tryFromElsewhere(question) {
  ui.tryText.value = question;
  ui.tryLang.value = "";
  if (location.hash !== PAGES.try.hash) location.hash = PAGES.try.hash;
  else showPage("try", true);
  void tryQuestion(null);
}

// ---------------------------------------------------------------------------------------------
// "Instrukcijas": content status, guides with their review dates, flows

async function loadGuides(force) {
  hideAlert(ui.guidesAlert);
  working(ui.guidesRefresh, true);
  try {
    const content = await fetchContent(true);
    if (!state.staff) return;
    renderContentStatus(content.status);
    renderGuides(content.guides);
    renderFlows(content.flows);
    if (force) announce(content.status && content.status.ok === false ? "Saturā ir kļūdas." : "Saturs pārbaudīts – kļūdu nav.");
  } catch (error) {
    if (!state.staff) return;
    showAlert(ui.guidesAlert, `Instrukciju sarakstu neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    working(ui.guidesRefresh, false);
  }
}

function timeText(iso) {
  const date = parseTime(iso);
  return date ? exactTime(date) : "";
}

function renderContentStatus(status) {
  const box = ui.contentStatus;
  box.textContent = "";
  if (!status) {
    box.hidden = true;
    return;
  }
  const ok = status.ok !== false;
  const errors = Array.isArray(status.errors) ? status.errors.filter((e) => typeof e === "string") : [];
  const warnings = Array.isArray(status.warnings) ? status.warnings.filter((e) => typeof e === "string") : [];
  box.className = `content-status ${ok ? "status-ok" : "status-error"}`;
  const loaded = timeText(status.loadedAt);
  const checked = timeText(status.checkedAt);
  if (ok) {
    box.appendChild(el("p", "status-title", `✓ Saturs ielādēts${loaded ? ` ${loaded}` : ""} – kļūdu nav.`));
    box.appendChild(el("p", "status-text", "Iedzīvotāji saņem šīs instrukcijas un ceļvežus. Kad failos kaut ko maināt, DigiPalīgs izmaiņas pārbauda un ielādē pats."));
  } else {
    box.appendChild(el("p", "status-title", `✗ Pēdējās izmaiņas netika ielādētas: ${errors.length || "ir"} ${plural(errors.length, "kļūda", "kļūdas")}.`));
    box.appendChild(el("p", "status-text", `Iedzīvotāji pa to laiku saņem pēdējo labo versiju${loaded ? ` (ielādēta ${loaded})` : ""}. Izlabojiet kļūdas norādītajās faila rindās – pēc saglabāšanas saturs tiks pārbaudīts vēlreiz.${checked ? ` Pēdējā pārbaude: ${checked}.` : ""}`));
    if (errors.length) {
      const list = el("ul", "problems problems-error");
      list.setAttribute("aria-label", "Kļūdas");
      for (const line of errors) list.appendChild(problemItem(line));
      box.appendChild(list);
    }
  }
  if (warnings.length) {
    const details = el("details", "warnings");
    details.appendChild(el("summary", "", `${warnings.length} ${plural(warnings.length, "brīdinājums", "brīdinājumi")} – DigiPalīgs darbojas, bet tos vēlams izlabot`));
    const list = el("ul", "problems");
    for (const line of warnings) list.appendChild(problemItem(line));
    details.appendChild(list);
    box.appendChild(details);
  }
  box.hidden = false;
}

/** One language's cell: checked and review-by dates, or "no translation". */
function langCell(guide, lang) {
  const td = el("td", "lang-cell");
  const info = guide.langs && typeof guide.langs === "object" ? guide.langs[lang] : null;
  const missing = (Array.isArray(guide.missing) && guide.missing.indexOf(lang) !== -1) || !info;
  if (missing) {
    td.classList.add("cell-missing");
    td.appendChild(el("span", "cell-flag", "⚠ Nav tulkojuma"));
    return td;
  }
  if (info.overdue) td.classList.add("cell-overdue");
  const checked = el("span", "date-line");
  checked.appendChild(el("span", "date-label", "Pārbaudīts: "));
  checked.appendChild(el("span", "", lvDate(info.checked) || "–"));
  td.appendChild(checked);
  const review = el("span", "date-line");
  review.appendChild(el("span", "date-label", "Pārskatīt līdz: "));
  review.appendChild(el("span", info.overdue ? "date-overdue" : "", lvDate(info.reviewBy) || "–"));
  td.appendChild(review);
  if (info.overdue) td.appendChild(el("span", "cell-flag", "⚠ Termiņš nokavēts"));
  return td;
}

function renderGuides(guides) {
  const body = ui.guidesBody;
  body.textContent = "";
  let overdue = 0;
  let missing = 0;
  for (const guide of guides) {
    const late = guide.overdue === true || LANG_ORDER.some((l) => guide.langs && guide.langs[l] && guide.langs[l].overdue);
    const gaps = Array.isArray(guide.missing) ? guide.missing.length : 0;
    if (late) overdue++;
    if (gaps) missing++;
    const tr = el("tr", "");
    if (late) tr.classList.add("is-overdue");
    if (gaps) tr.classList.add("has-missing");
    const th = el("th", "guide-cell");
    th.scope = "row";
    th.appendChild(el("span", "guide-title", guideTitle(guide.id)));
    if (late) th.appendChild(el("span", "badge badge-overdue", "Jāpārskata"));
    th.appendChild(el("code", "guide-id", guide.id));
    tr.appendChild(th);
    for (const lang of LANG_ORDER) tr.appendChild(langCell(guide, lang));
    body.appendChild(tr);
  }
  ui.guidesCount.textContent = String(guides.length);
  const parts = [`${guides.length} ${plural(guides.length, "instrukcija", "instrukcijas")}`];
  parts.push(overdue ? `jāpārskata: ${overdue}` : "visas pārskatītas laikā");
  parts.push(missing ? `bez visiem tulkojumiem: ${missing}` : "visas ir trīs valodās");
  ui.guidesSummary.textContent = `${parts.join(" · ")}.`;
  ui.guidesEmpty.hidden = guides.length > 0;
}

function renderFlows(flows) {
  const body = ui.flowsBody;
  body.textContent = "";
  for (const flow of flows) {
    const titles = flow.title && typeof flow.title === "object" ? flow.title : {};
    const tr = el("tr", "");
    const th = el("th", "guide-cell");
    th.scope = "row";
    th.appendChild(el("span", "guide-title", str(titles.lv) || flow.id));
    th.appendChild(el("code", "guide-id", flow.id));
    tr.appendChild(th);
    for (const lang of ["ru", "en"]) {
      const td = el("td", "", str(titles[lang]) || "");
      if (!titles[lang]) {
        td.classList.add("cell-missing");
        td.appendChild(el("span", "cell-flag", "⚠ Nav tulkojuma"));
      }
      tr.appendChild(td);
    }
    tr.appendChild(el("td", "num", isNum(flow.steps) ? num(flow.steps) : "–"));
    body.appendChild(tr);
  }
  ui.flowsCount.textContent = String(flows.length);
  ui.flowsEmpty.hidden = flows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Periods ("No" – "Līdz") for "Neatbildētie" and "Rādītāji"

function initPeriods() {
  const today = new Date();
  const from = new Date(today);
  from.setDate(from.getDate() - (UNANSWERED_DAYS - 1));
  ui.unansweredFrom.value = isoDate(from);
  ui.unansweredTo.value = isoDate(today);
  const months = new Date(today);
  months.setMonth(months.getMonth() - DASHBOARD_MONTHS);
  months.setDate(months.getDate() + 1);
  ui.dashboardFrom.value = isoDate(months);
  ui.dashboardTo.value = isoDate(today);
  for (const input of [ui.unansweredFrom, ui.unansweredTo, ui.dashboardFrom, ui.dashboardTo]) input.max = isoDate(today);
  setDownloads("unanswered");
  setDownloads("dashboard");
}

/** The period of a form, or an error text. */
function readPeriod(fromInput, toInput) {
  const from = fromInput.value;
  const to = toInput.value;
  for (const input of [fromInput, toInput]) input.removeAttribute("aria-invalid");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) {
    fromInput.setAttribute("aria-invalid", "true");
    return { error: "Ierakstiet sākuma datumu.", input: fromInput };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to)) {
    toInput.setAttribute("aria-invalid", "true");
    return { error: "Ierakstiet beigu datumu.", input: toInput };
  }
  if (from > to) {
    fromInput.setAttribute("aria-invalid", "true");
    return { error: "Sākuma datums ir pēc beigu datuma. Pārbaudiet laika posmu.", input: fromInput };
  }
  return { from, to };
}

function periodQuery(period, extra) {
  const query = new URLSearchParams({ from: period.from, to: period.to });
  if (extra) for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query.toString();
}

/** Points the download links at the period shown. */
function setDownloads(which) {
  const unanswered = which === "unanswered";
  const period = unanswered ? readPeriod(ui.unansweredFrom, ui.unansweredTo) : readPeriod(ui.dashboardFrom, ui.dashboardTo);
  if (period.error) return;
  const base = unanswered ? "api/staff/unanswered" : "api/staff/indicators";
  const name = unanswered ? "neatbildetie" : "raditaji";
  const csv = unanswered ? ui.unansweredCsv : ui.dashboardCsv;
  csv.href = new URL(`${base}?${periodQuery(period, { format: "csv" })}`, ROOT_URL).href;
  csv.setAttribute("download", `${name}-${period.from}-${period.to}.csv`);
  if (!unanswered) {
    ui.dashboardJson.href = new URL(`${base}?${periodQuery(period)}`, ROOT_URL).href;
    ui.dashboardJson.setAttribute("download", `${name}-${period.from}-${period.to}.json`);
  }
}

function periodText(period) {
  return `${lvDate(period.from)}–${lvDate(period.to)}`;
}

// ---------------------------------------------------------------------------------------------
// "Neatbildētie": the questions the bot could not answer well, grouped

async function loadUnanswered(submitted) {
  const period = readPeriod(ui.unansweredFrom, ui.unansweredTo);
  hideAlert(ui.unansweredAlert);
  if (period.error) {
    showAlert(ui.unansweredAlert, period.error);
    if (submitted) period.input.focus();
    return;
  }
  const key = `${period.from}/${period.to}`;
  const seq = ++state.unansweredSeq;
  const button = ui.unansweredForm.querySelector("button[type=submit]");
  working(button, true);
  ui.unansweredSummary.textContent = "Ielādē…";
  try {
    const [data] = await Promise.all([
      api("GET", `api/staff/unanswered?${periodQuery(period)}`),
      fetchContent(false).catch(() => null), // guide titles; the list works without them
    ]);
    if (seq !== state.unansweredSeq || !state.staff) return;
    state.unansweredLoadedFor = key;
    setDownloads("unanswered");
    renderUnanswered(data, period);
  } catch (error) {
    if (seq !== state.unansweredSeq || !state.staff) return;
    ui.unansweredSummary.textContent = "";
    showAlert(ui.unansweredAlert, `Jautājumus neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    if (seq === state.unansweredSeq) working(button, false);
  }
}

function reasonList(reasons) {
  const list = el("ul", "reasons");
  if (!reasons || typeof reasons !== "object") return list;
  for (const key of Object.keys(REASON_NAMES)) {
    const count = reasons[key];
    if (!isNum(count) || count <= 0) continue;
    const li = el("li", `reason reason-${key}`);
    li.appendChild(el("span", "reason-name", REASON_NAMES[key]));
    li.appendChild(el("span", "reason-count", `${num(count)}×`));
    list.appendChild(li);
  }
  for (const key of Object.keys(reasons)) {
    if (REASON_NAMES[key] || !isNum(reasons[key]) || reasons[key] <= 0) continue;
    const li = el("li", "reason");
    li.appendChild(el("span", "reason-name", key));
    li.appendChild(el("span", "reason-count", `${num(reasons[key])}×`));
    list.appendChild(li);
  }
  return list;
}

/** The group's languages: "LV 3 RU 1" (from a { lang: count } map) or "LV RU" (from a list). */
function languagesCell(group) {
  const td = el("td", "langs-cell");
  const list = el("ul", "lang-list");
  const counts = group.languages && typeof group.languages === "object" && !Array.isArray(group.languages) ? group.languages : null;
  const langs = counts ? Object.keys(counts) : Array.isArray(group.langs) ? group.langs.filter((l) => typeof l === "string") : [];
  for (const lang of langs) {
    const li = el("li", "lang-item");
    const tag = el("abbr", "lang-tag", lang === "unknown" ? "?" : LANG_SHORT[lang] || lang.toUpperCase());
    tag.title = lang === "unknown" ? "valoda nav zināma" : langName(lang);
    li.appendChild(tag);
    if (counts && isNum(counts[lang]) && langs.length > 1) li.appendChild(el("span", "lang-count", ` ${num(counts[lang])}`));
    list.appendChild(li);
  }
  td.appendChild(list);
  return td;
}

function renderUnanswered(data, period) {
  const groups = (data && Array.isArray(data.groups) ? data.groups : [])
    .filter((g) => g && typeof g === "object")
    .map((g) => ({ ...g, question: str(g.question) || str(g.representative) }))
    .filter((g) => g.question);
  const body = ui.unansweredBody;
  body.textContent = "";
  let total = 0;
  for (const group of groups) {
    const count = isNum(group.count) ? group.count : 0;
    total += count;
    const tr = el("tr", "");
    const th = el("th", "question-cell");
    th.scope = "row";
    th.appendChild(el("span", "question-text", group.question));
    const again = el("button", "btn btn-small btn-secondary try-again", "Izmēģināt");
    again.type = "button";
    again.setAttribute("aria-label", `Izmēģināt jautājumu: ${shorten(group.question, 80)}`);
    again.addEventListener("click", () => tryFromElsewhere(group.question));
    th.appendChild(again);
    tr.appendChild(th);
    tr.appendChild(el("td", "num count-cell", num(count)));
    tr.appendChild(languagesCell(group));
    const reasons = el("td", "");
    reasons.appendChild(reasonList(group.reasons));
    tr.appendChild(reasons);
    const closest = el("td", "");
    if (typeof group.closestGuide === "string" && group.closestGuide) {
      closest.appendChild(el("span", "guide-title", guideTitle(group.closestGuide)));
      closest.appendChild(el("code", "guide-id", group.closestGuide));
    } else {
      closest.appendChild(el("span", "muted", "Nav līdzīgas instrukcijas"));
    }
    tr.appendChild(closest);
    const examples = Array.isArray(group.examples) ? group.examples.filter((e) => typeof e === "string" && e.trim()) : [];
    const exCell = el("td", "examples-cell");
    if (examples.length) {
      const list = el("ul", "examples");
      for (const example of examples.slice(0, 3)) list.appendChild(el("li", "", example));
      exCell.appendChild(list);
      if (examples.length > 3) {
        const more = el("details", "more-examples");
        more.appendChild(el("summary", "", `Vēl ${examples.length - 3}`));
        const rest = el("ul", "examples");
        for (const example of examples.slice(3)) rest.appendChild(el("li", "", example));
        more.appendChild(rest);
        exCell.appendChild(more);
      }
    } else {
      exCell.appendChild(el("span", "muted", "–"));
    }
    tr.appendChild(exCell);
    body.appendChild(tr);
  }
  ui.unansweredCount.textContent = String(groups.length);
  ui.unansweredSummary.textContent = groups.length
    ? `${groups.length} ${plural(groups.length, "jautājums", "jautājumi")}, kopā ${num(total)} ${plural(total, "reize", "reizes")} (${periodText(period)}). Biežākie augšā.`
    : `Laikā no ${lvDate(period.from)} līdz ${lvDate(period.to)} neatbildētu jautājumu nav.`;
  ui.unansweredEmpty.hidden = groups.length > 0;
  ui.unansweredEmpty.textContent = "Šajā laika posmā DigiPalīgs atbildēja uz visiem jautājumiem. Izvēlieties garāku laika posmu, lai redzētu vairāk.";
}

// ---------------------------------------------------------------------------------------------
// "Rādītāji": the municipality's indicators, with charts (Chart.js) and tables

/** Colour-blind-safe colours (Okabe & Ito). */
const PALETTE = { blue: "#0072B2", vermillion: "#D55E00", green: "#009E73", orange: "#E69F00", purple: "#CC79A7", sky: "#56B4E9", yellow: "#F0E442", black: "#000000" };
const CHART_TEXT = "#1b1f1d";
const CHART_GRID = "#d5ddd8";

async function loadDashboard(submitted) {
  const period = readPeriod(ui.dashboardFrom, ui.dashboardTo);
  hideAlert(ui.dashboardAlert);
  if (period.error) {
    showAlert(ui.dashboardAlert, period.error);
    if (submitted) period.input.focus();
    return;
  }
  const key = `${period.from}/${period.to}`;
  // Coming back to the page shows what was loaded, unless it is old.
  if (!submitted && key === state.dashboardLoadedFor && Date.now() - state.dashboardAt < 120000) return;
  const seq = ++state.dashboardSeq;
  const button = ui.dashboardForm.querySelector("button[type=submit]");
  working(button, true);
  ui.dashboardStatus.textContent = "Ielādē rādītājus…";
  try {
    const [data] = await Promise.all([
      api("GET", `api/staff/indicators?${periodQuery(period)}`),
      fetchContent(false).catch(() => null), // guide and flow titles
    ]);
    if (seq !== state.dashboardSeq || !state.staff) return;
    state.dashboardLoadedFor = key;
    state.dashboardAt = Date.now();
    setDownloads("dashboard");
    renderDashboard(normalizeIndicators(data), period);
    ui.dashboardStatus.textContent = `Rādītāji par ${periodText(period)} ielādēti.`;
  } catch (error) {
    if (seq !== state.dashboardSeq || !state.staff) return;
    ui.dashboardStatus.textContent = "";
    showAlert(ui.dashboardAlert, `Rādītājus neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    if (seq === state.dashboardSeq) working(button, false);
  }
}

/** The first value found at one of the dotted paths. */
function pick(data, ...paths) {
  for (const path of paths) {
    let value = data;
    for (const part of path.split(".")) {
      value = value && typeof value === "object" ? value[part] : undefined;
    }
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

const COUNT_KEYS = ["count", "value", "total", "n", "answers", "started", "uses", "conversations", "tickets", "escalations", "residents"];
const LABEL_KEYS = ["label", "name", "key", "id", "topic", "parish", "centre", "lang", "language", "guide", "flow", "rating", "score", "week"];

/** [{key, value}] from an array of objects or a { key: count } map; empty when neither. */
function pairs(source) {
  if (Array.isArray(source)) {
    const out = [];
    for (const item of source) {
      if (!item || typeof item !== "object") continue;
      const countKey = COUNT_KEYS.find((k) => isNum(item[k]));
      if (!countKey) continue;
      const labelKey = LABEL_KEYS.find((k) => item[k] !== undefined && (typeof item[k] === "string" || typeof item[k] === "number" || item[k] === null));
      out.push({ key: labelKey ? item[labelKey] : "", value: item[countKey], item });
    }
    return out;
  }
  if (source && typeof source === "object") {
    return Object.keys(source).filter((k) => isNum(source[k])).map((k) => ({ key: k, value: source[k], item: null }));
  }
  return [];
}

const TOPIC_NAMES = {
  none: "Bez tēmas",
  other: "Cits",
  unknown: "Tēma nav zināma",
};
/** Flows that run around every conversation (feedback, menu, language), not a service. */
const SERVICE_FLOWS = ["feedback", "main-menu", "language"];

function topicName(key) {
  const k = str(key);
  if (!k) return "Bez tēmas";
  if (TOPIC_NAMES[k]) return TOPIC_NAMES[k];
  if (state.content && state.content.guideById && state.content.guideById.has(k)) return guideTitleShort(k);
  if (state.content && state.content.flowById && state.content.flowById.has(k)) return flowTitle(k);
  return k;
}

/** A guide's title up to its first dash or colon (as on the bot's buttons). */
function guideTitleShort(id) {
  const short = shortTitleOf(guideTitle(id));
  return short.length > 48 ? `${short.slice(0, 47)}…` : short;
}

const GUIDED_NAMES = {
  eInvoices: "E-rēķini",
  "e-invoices": "E-rēķini",
  "e-invoice-setup": "E-rēķini",
  onlineApplications: "E-pieteikumi pašvaldībai",
  "online-application": "E-pieteikumi pašvaldībai",
  "municipal-application": "E-pieteikumi pašvaldībai",
};

const RATING_NAMES = { 1: "1 – ļoti slikti", 2: "2 – slikti", 3: "3 – vidēji", 4: "4 – labi", 5: "5 – ļoti labi" };

/** Week labels: "2026-W07" → "7. ned.", "2026-02-09" → "09.02." */
function weekLabel(key) {
  const k = str(key);
  const iso = /^(\d{4})-W(\d{1,2})$/.exec(k);
  if (iso) return `${Number(iso[2])}. ned.`;
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(k);
  if (day) return `${day[3]}.${day[2]}.`;
  return k;
}

function weekLongLabel(key, item) {
  const k = str(key);
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(k);
  const end = item && (item.to || item.end || item.weekEnd);
  if (day) return end ? `${lvDate(k)}–${lvDate(end)}` : `nedēļa no ${lvDate(k)}`;
  return k;
}

/** The indicators as the page draws them, whatever their exact shape (missing parts stay out). */
function normalizeIndicators(data) {
  const d = data && typeof data === "object" ? data : {};
  const label = (list, fn) => list.map((p) => ({ label: fn(p.key, p.item), value: p.value }));
  const nonEmpty = (list) => list.filter((p) => isNum(p.value));

  const weeksRaw = pick(d, "weeks", "weekly", "perWeek", "conversations.weeks", "usage.weeks", "conversationsPerWeek");
  const weeks = Array.isArray(weeksRaw)
    ? weeksRaw.filter((w) => w && typeof w === "object").map((w) => {
      const key = w.weekStart || w.start || w.from || w.week || w.label || w.date || "";
      return { key, label: weekLabel(key), long: weekLongLabel(key, w), conversations: pick(w, "conversations", "sessions", "count"), residents: pick(w, "residents", "users", "distinctResidents") };
    })
    : [];

  const satisfactionRaw = pick(d, "satisfaction", "ratings", "rating");
  const distributionRaw = pick(d, "satisfaction.distribution", "satisfaction.byScore", "ratings.distribution", "satisfaction.counts");
  let distribution;
  if (Array.isArray(distributionRaw) && distributionRaw.every((x) => isNum(x))) {
    distribution = distributionRaw.map((value, i) => ({ label: RATING_NAMES[distributionRaw.length === 6 ? i : i + 1] || String(i + 1), value }));
    if (distributionRaw.length === 6) distribution = distribution.slice(1);
  } else {
    distribution = label(pairs(distributionRaw), (k) => RATING_NAMES[k] || str(k)).sort((a, b) => parseInt(a.label, 10) - parseInt(b.label, 10));
  }

  const sum = (list, field) => list.reduce((total, x) => total + (isNum(x[field]) ? x[field] : 0), 0);
  const totals = {
    conversations: pick(d, "totals.conversations", "summary.conversations", "conversations.total", "conversations"),
    residents: pick(d, "totals.residents", "summary.residents", "residents.total", "residents"),
    resolved: pick(d, "totals.resolvedByBot", "summary.resolvedByBot", "resolvedByBot.share", "resolvedByBot", "resolved.share", "botResolvedShare", "resolvedShare"),
    resolvedOf: pick(d, "resolvedByBot.conversationsWithQuestions"),
    tickets: pick(d, "escalations.tickets", "totals.tickets", "summary.tickets", "tickets.total", "escalations.total", "tickets", "escalations.count"),
    ratingAverage: pick(d, "satisfaction.average", "totals.satisfaction", "ratings.average", "satisfaction.avg"),
    ratingCount: pick(d, "satisfaction.ratings", "satisfaction.count", "ratings.count"),
  };
  if (!isNum(totals.conversations) && weeks.length) totals.conversations = sum(weeks, "conversations");
  if (!isNum(totals.ratingCount) && distribution.length) totals.ratingCount = distribution.reduce((t, x) => t + x.value, 0);
  if (satisfactionRaw && isNum(satisfactionRaw) && !isNum(totals.ratingAverage)) totals.ratingAverage = satisfactionRaw;

  const staffRaw = pick(d, "staff", "staffTimes", "times", "responseTimes", "tickets.times");
  const timeOf = (...paths) => {
    const t = pick(staffRaw || {}, ...paths) || pick(d, ...paths);
    if (!t || typeof t !== "object") return null;
    const median = pick(t, "median", "medianMinutes", "p50");
    const p90 = pick(t, "p90", "p90Minutes");
    const count = pick(t, "tickets", "count", "n");
    return isNum(median) || isNum(p90) || isNum(count) ? { median, p90, count } : null;
  };

  // Residents guided to do it themselves online: who started the walk-through and who finished it.
  const guided = [];
  const outcomes = pick(d, "outcomes");
  if (outcomes && typeof outcomes === "object" && !Array.isArray(outcomes)) {
    for (const key of Object.keys(outcomes)) {
      const o = outcomes[key];
      if (!o || typeof o !== "object") continue;
      const started = pick(o, "residentsStartedSetup", "residentsStartedFlow", "residentsStarted", "started");
      const completed = pick(o, "residentsCompleted", "completed");
      if (isNum(started) || isNum(completed)) guided.push({ label: GUIDED_NAMES[key] || topicName(key), started, completed });
    }
  } else {
    for (const p of pairs(pick(d, "guidedTo", "guided", "eServices", "referrals"))) guided.push({ label: GUIDED_NAMES[p.key] || topicName(p.key), started: null, completed: p.value });
  }
  const flowsRaw = pick(d, "flows", "topFlows", "mostUsed.flows", "usage.flows");
  const flows = (Array.isArray(flowsRaw) ? flowsRaw : [])
    .filter((f) => f && typeof f === "object" && SERVICE_FLOWS.indexOf(f.id) === -1)
    .map((f) => ({ label: flowTitle(f.id || f.key), started: pick(f, "started", "count", "uses"), completed: pick(f, "completed") }))
    .filter((f) => isNum(f.started) || isNum(f.completed));

  return {
    totals,
    weeks,
    byTopic: nonEmpty(label(pairs(pick(d, "escalations.byTopic", "escalations.topics", "tickets.byTopic", "byTopic")), topicName)),
    byParish: nonEmpty(label(pairs(pick(d, "escalations.byParish", "escalations.parishes", "tickets.byParish", "byParish")), (k) => (k && k !== "unknown" ? parishName(k) : "Pagasts nav zināms"))),
    byCentre: nonEmpty(label(pairs(pick(d, "escalations.byCentre", "escalations.centres", "tickets.byCentre", "byCentre")), (k) => (k && k !== "unknown" ? centreName(k) : "Centrs nav zināms"))),
    firstResponse: timeOf("firstResponse", "firstResponseMinutes", "firstReply"),
    resolution: timeOf("resolution", "resolutionMinutes", "resolve", "close"),
    distribution,
    languages: nonEmpty(label(pairs(pick(d, "languages.residents", "languages.inboundMessages", "languages", "langs", "byLanguage")), (k) => (k === "unknown" ? "nav zināma" : langName(k) || str(k)))),
    languagesOf: Array.isArray(pick(d, "languages.residents")) ? "residents" : "conversations",
    guides: nonEmpty(label(pairs(pick(d, "guides", "topGuides", "mostUsed.guides", "usage.guides")), guideTitleShort)).slice(0, 10),
    flows,
    guided,
  };
}

function destroyCharts() {
  for (const chart of state.charts) {
    try { chart.destroy(); } catch { /* already gone */ }
  }
  state.charts = [];
}

function headlineCard(label, value, note, accent) {
  const li = el("li", `figure-card${accent ? ` figure-${accent}` : ""}`);
  li.appendChild(el("span", "figure-label", label));
  li.appendChild(el("span", "figure-value", value));
  if (note) li.appendChild(el("span", "figure-note", note));
  return li;
}

function renderDashboard(ind, period) {
  destroyCharts();
  const t = ind.totals;
  ui.headline.textContent = "";
  ui.headline.appendChild(headlineCard("Sarunas", num(t.conversations), `${periodText(period)}`, "blue"));
  ui.headline.appendChild(headlineCard("Iedzīvotāji", num(t.residents), "dažādi iedzīvotāji", "vermillion"));
  ui.headline.appendChild(headlineCard("Bots atrisināja pats", percent(t.resolved),
    isNum(t.resolvedOf) ? `no ${num(t.resolvedOf)} sarunām ar jautājumu` : "sarunas bez darbinieka", "green"));
  ui.headline.appendChild(headlineCard("Pieteikumi", num(t.tickets), "nodoti darbiniekiem", "orange"));
  const rating = isNum(t.ratingAverage) ? `${decimalFormat.format(t.ratingAverage)} no 5` : "–";
  const ratingNote = isNum(t.ratingCount) ? `${num(t.ratingCount)} ${plural(t.ratingCount, "vērtējums", "vērtējumi")}` : "vērtējumu nav";
  ui.headline.appendChild(headlineCard("Vidējais vērtējums", rating, ratingNote, "purple"));

  const charts = ui.charts;
  charts.textContent = "";
  const canDraw = typeof window.Chart === "function";
  if (!canDraw) charts.appendChild(el("p", "info chart-missing", "Diagrammas šobrīd nevar parādīt – visi skaitļi ir redzami tabulās."));

  if (ind.weeks.length) {
    chartCard(charts, {
      id: "weeks",
      title: "Sarunas un iedzīvotāji pa nedēļām",
      note: "Stabiņi – sarunu skaits, līnija – cik dažādu iedzīvotāju rakstīja.",
      wide: true,
      kind: "weeks",
      labels: ind.weeks.map((w) => w.label),
      rows: ind.weeks.map((w) => [w.long || w.label, num(w.conversations), num(w.residents)]),
      head: ["Nedēļa", "Sarunas", "Iedzīvotāji"],
      series: [
        { label: "Sarunas", data: ind.weeks.map((w) => (isNum(w.conversations) ? w.conversations : null)), color: PALETTE.blue },
        { label: "Iedzīvotāji", data: ind.weeks.map((w) => (isNum(w.residents) ? w.residents : null)), color: PALETTE.vermillion, line: true },
      ],
    }, canDraw);
  }
  const bars = (id, title, note, list, color, head) => {
    if (!list.length) return;
    chartCard(charts, {
      id, title, note, kind: "hbar",
      labels: list.map((x) => x.label),
      rows: list.map((x) => [x.label, num(x.value)]),
      head,
      series: [{ label: head[1], data: list.map((x) => x.value), color }],
    }, canDraw);
  };
  bars("topic", "Pieteikumi darbiniekiem pēc tēmas", "Par ko iedzīvotāji lūdza darbinieka palīdzību.", ind.byTopic, PALETTE.orange, ["Tēma", "Pieteikumi"]);
  bars("parish", "Pieteikumi pēc pagasta", "No kura pagasta iedzīvotājs.", ind.byParish, PALETTE.orange, ["Pagasts", "Pieteikumi"]);
  bars("centre", "Pieteikumi pēc centra", "Kurš klientu apkalpošanas centrs tos saņēma.", ind.byCentre, PALETTE.orange, ["Centrs", "Pieteikumi"]);
  staffCard(charts, ind);
  if (ind.distribution.length) {
    chartCard(charts, {
      id: "rating", title: "Iedzīvotāju vērtējumi", note: "Pēc darbinieka palīdzības iedzīvotājs novērtē to no 1 līdz 5.", kind: "bar",
      labels: ind.distribution.map((x) => x.label.replace(" – ", " ")),
      rows: ind.distribution.map((x) => [x.label, num(x.value)]),
      head: ["Vērtējums", "Reizes"],
      series: [{ label: "Reizes", data: ind.distribution.map((x) => x.value), color: PALETTE.purple }],
    }, canDraw);
  }
  if (ind.languages.length) {
    chartCard(charts, {
      id: "langs", title: "Valodas", kind: "hbar",
      note: ind.languagesOf === "residents" ? "Cik iedzīvotāju rakstīja katrā valodā (kas rakstīja divās, skaitīts abās)." : "Kādā valodā iedzīvotāji rakstīja.",
      labels: ind.languages.map((x) => x.label),
      rows: ind.languages.map((x) => [x.label, num(x.value)]),
      head: ["Valoda", ind.languagesOf === "residents" ? "Iedzīvotāji" : "Sarunas"],
      series: [{ label: ind.languagesOf === "residents" ? "Iedzīvotāji" : "Sarunas", data: ind.languages.map((x) => x.value), color: PALETTE.sky }],
    }, canDraw);
  }
  bars("guides", "Biežāk izmantotās instrukcijas", "Cik reizes DigiPalīgs atbildēja ar šo instrukciju.", ind.guides, PALETTE.blue, ["Instrukcija", "Reizes"]);
  pairBars(charts, "flows", "Biežāk izmantotie ceļveži", "Cik reizes iedzīvotāji sāka soli-pa-solim ceļvedi un cik reizes to izgāja līdz galam.", ind.flows, ["Ceļvedis", "Sāka", "Pabeidza"], canDraw);
  pairBars(charts, "guided", "Novirzīti uz e-pakalpojumiem", "Cik iedzīvotāju DigiPalīgs veda līdz e-rēķinam vai e-pieteikumam, un cik to izdarīja paši.", ind.guided, ["E-pakalpojums", "Sāka", "Izdarīja paši"], canDraw);
  if (!charts.querySelector(".chart-card, .staff-card")) charts.appendChild(el("p", "empty", "Par šo laika posmu datu vēl nav."));
  ui.dashboardBody.hidden = false;
}

/** Horizontal bars with two values per label: started and completed. */
function pairBars(parent, id, title, note, list, head, canDraw) {
  if (!list.length) return;
  chartCard(parent, {
    id, title, note, kind: "hbar",
    labels: list.map((x) => x.label),
    rows: list.map((x) => [x.label, num(x.started), num(x.completed)]),
    head,
    series: [
      { label: head[1], data: list.map((x) => (isNum(x.started) ? x.started : null)), color: PALETTE.blue },
      { label: head[2], data: list.map((x) => (isNum(x.completed) ? x.completed : null)), color: PALETTE.green },
    ],
  }, canDraw);
}

function dataTable(head, rows, caption) {
  const table = el("table", "data-table chart-data");
  if (caption) table.appendChild(el("caption", "visually-hidden", caption));
  const thead = el("thead");
  const hr = el("tr");
  head.forEach((h, i) => {
    const th = el("th", i > 0 ? "num" : "", h);
    th.scope = "col";
    hr.appendChild(th);
  });
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    row.forEach((cell, i) => {
      const node = el(i === 0 ? "th" : "td", i > 0 ? "num" : "", cell);
      if (i === 0) node.scope = "row";
      tr.appendChild(node);
    });
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  return table;
}

/** A chart's card: title, note, the chart (an image to screen readers) and its numbers as a table. */
function chartCard(parent, spec, canDraw) {
  const figure = el("figure", `card chart-card chart-${spec.kind}${spec.wide ? " chart-wide" : ""}`);
  figure.setAttribute("data-chart", spec.id);
  const caption = el("figcaption", "chart-caption");
  const titleId = `chart-title-${spec.id}`;
  const heading = el("h3", "section-title", spec.title);
  heading.id = titleId;
  caption.appendChild(heading);
  if (spec.note) caption.appendChild(el("p", "chart-note", spec.note));
  figure.appendChild(caption);

  // Said instead of the picture: every value.
  const spoken = spec.rows.map((row) => `${row[0]}: ${row.slice(1).join(", ")}`).join("; ");
  const empty = !spec.series.some((s) => s.data.some((v) => isNum(v) && v !== 0));
  if (empty) {
    // Nothing to draw: say so instead of an empty chart.
    figure.appendChild(el("p", "chart-empty", "Šajā laika posmā – neviena."));
    parent.appendChild(figure);
  } else if (canDraw) {
    const box = el("div", "chart-box");
    if (spec.kind === "hbar") {
      const lines = spec.labels.reduce((n, label) => {
        const wrapped = wrapLabel(label, 26);
        return n + (Array.isArray(wrapped) ? wrapped.length : 1);
      }, 0);
      const perLabel = 22 + 16 * spec.series.length;
      box.style.height = `${Math.max(150, spec.labels.length * perLabel + lines * 10 + (spec.series.length > 1 ? 80 : 40))}px`;
    }
    const canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${spec.title}. ${spec.head.slice(1).join(", ")} – ${spoken}.`);
    box.appendChild(canvas);
    figure.appendChild(box);
    parent.appendChild(figure);
    try {
      state.charts.push(new window.Chart(canvas, chartConfig(spec)));
    } catch (error) {
      console.warn("DigiPalīgs: chart not drawn", error);
      box.remove();
    }
  } else {
    parent.appendChild(figure);
  }
  const details = el("details", "chart-table");
  if (!canDraw) details.open = true;
  details.appendChild(el("summary", "", "Skaitļi tabulā"));
  const wrap = el("div", "table-wrap");
  wrap.appendChild(dataTable(spec.head, spec.rows, spec.title));
  details.appendChild(wrap);
  figure.appendChild(details);
}

/** Writes each bar's value next to it (on the chart itself, so it is readable without hovering). */
const valueLabels = {
  id: "dpValues",
  /** Options: `inside` writes the values inside the bars' feet (clear of a line drawn over them), `skipZero`. */
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === "y";
    const inside = Boolean(options && options.inside);
    const skipZero = Boolean(options && options.skipZero);
    ctx.save();
    ctx.font = "700 15px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";
    ctx.fillStyle = CHART_TEXT;
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden || meta.type === "line") return;
      meta.data.forEach((bar, j) => {
        const value = dataset.data[j];
        if (!isNum(value) || (skipZero && value === 0)) return;
        const text = numberFormat.format(value);
        const height = typeof bar.base === "number" ? Math.abs(bar.base - bar.y) : 0;
        if (!horizontal && inside && height >= 24) {
          ctx.fillStyle = "#ffffff";
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(text, bar.x, bar.base - 4);
          ctx.fillStyle = CHART_TEXT;
        } else if (horizontal) {
          ctx.textAlign = "left";
          ctx.textBaseline = "middle";
          ctx.fillText(text, bar.x + 6, bar.y);
        } else {
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(text, bar.x, bar.y - 4);
        }
      });
    });
    ctx.restore();
  },
};

/** A long axis label as lines of about `width` characters (Chart.js draws an array as lines). */
function wrapLabel(label, width) {
  const text = str(label);
  if (text.length <= width) return text;
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function chartConfig(spec) {
  const font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif", size: 15 };
  const horizontal = spec.kind === "hbar";
  const max = Math.max(0, ...spec.series.flatMap((s) => s.data.filter(isNum)));
  const datasets = spec.series.map((s) => (s.line
    ? { type: "line", label: s.label, data: s.data, borderColor: s.color, backgroundColor: s.color, borderWidth: 3, pointRadius: 5, pointStyle: "triangle", pointHoverRadius: 7, tension: 0, order: 0 }
    : { type: "bar", label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, borderWidth: 0, borderRadius: 4, maxBarThickness: horizontal ? 26 : 48, order: 1 }));
  const valueAxis = {
    beginAtZero: true,
    // Room for the numbers written at the bars' ends.
    suggestedMax: max > 0 ? Math.ceil(max * (horizontal ? 1.15 : 1.12)) : 1,
    ticks: { color: CHART_TEXT, font, precision: 0, callback: (v) => numberFormat.format(v) },
    grid: { color: CHART_GRID },
    border: { display: false },
  };
  const labelAxis = { ticks: { color: CHART_TEXT, font, autoSkip: !horizontal, maxRotation: 0 }, grid: { display: false } };
  return {
    type: "bar",
    data: { labels: spec.labels.map((label) => wrapLabel(label, horizontal ? 26 : 14)), datasets },
    plugins: [valueLabels],
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: horizontal ? 0 : 22, right: horizontal ? 12 : 8 } },
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, position: "top", align: "start", labels: { color: CHART_TEXT, font, usePointStyle: true, boxWidth: 14, padding: 16, sort: (a, b) => a.datasetIndex - b.datasetIndex } },
        dpValues: { inside: spec.kind === "weeks", skipZero: spec.kind === "weeks" },
        tooltip: { titleFont: font, bodyFont: font, callbacks: { label: (ctx) => `${ctx.dataset.label}: ${numberFormat.format(ctx.parsed[horizontal ? "x" : "y"])}` } },
      },
    },
  };
}

/** Staff speed: median and 90th percentile of the first answer and of the solution. */
function staffCard(parent, ind) {
  const rows = [];
  const counted = (t) => (isNum(t.count) ? num(t.count) : "–");
  if (ind.firstResponse) rows.push(["Pirmā atbilde iedzīvotājam", duration(ind.firstResponse.median), duration(ind.firstResponse.p90), counted(ind.firstResponse)]);
  if (ind.resolution) rows.push(["Pieteikums atrisināts (slēgts)", duration(ind.resolution.median), duration(ind.resolution.p90), counted(ind.resolution)]);
  if (!rows.length) return;
  const section = el("section", "card staff-card");
  section.setAttribute("aria-labelledby", "staff-times-title");
  const heading = el("h3", "section-title", "Cik ātri palīdz darbinieki");
  heading.id = "staff-times-title";
  section.appendChild(heading);
  section.appendChild(el("p", "chart-note", "Laiks no pieteikuma izveides. Parasti – puse pieteikumu ātrāk, puse lēnāk (mediāna); gandrīz visi – 9 no 10 pieteikumiem (90. procentile)."));
  const table = dataTable(["", "Parasti", "Gandrīz visi", "Pieteikumi"], rows, "Darbinieku atbildes laiks");
  table.classList.add("times-table");
  section.appendChild(table);
  parent.appendChild(section);
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
  window.addEventListener("hashchange", () => routePage(true));

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

  // The content pages.
  ui.tryForm.addEventListener("submit", tryQuestion);
  ui.tryText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      ui.tryForm.requestSubmit();
    }
  });
  ui.tryText.addEventListener("input", () => {
    ui.tryText.removeAttribute("aria-invalid");
    hideAlert(ui.tryAlert);
  });
  ui.guidesRefresh.addEventListener("click", () => {
    if (ui.guidesRefresh.getAttribute("aria-disabled") !== "true") void loadGuides(true);
  });
  ui.unansweredForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void loadUnanswered(true);
  });
  ui.dashboardForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void loadDashboard(true);
  });
  // The download links follow the dates as they are picked.
  for (const [input, which] of [[ui.unansweredFrom, "unanswered"], [ui.unansweredTo, "unanswered"], [ui.dashboardFrom, "dashboard"], [ui.dashboardTo, "dashboard"]]) {
    input.addEventListener("change", () => setDownloads(which));
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
