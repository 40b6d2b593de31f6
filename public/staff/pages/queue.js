/* global window, document, EventSource, setTimeout, clearTimeout, setInterval, clearInterval, URLSearchParams */
/**
 * "Pieteikumu rinda" (agents and admins): the queue per centre on the left — waiting (oldest
 * first), mine, all open, closed ("Slēgtie", the most recently closed first) — a search by ticket
 * number or words of the question (open and closed tickets of the staff member's centres), and
 * the open ticket on the right (pages/ticket.js). Live updates come from server-sent events
 * (/api/staff/events, `ticket` events): the lists and the open ticket are fetched again; new
 * waiting tickets are highlighted and announced.
 */
import { $, announce, el, hideAlert, showAlert, shorten, str, tabKeys } from "../lib/dom.js";
import { plural, refreshTimes, timeEl } from "../lib/format.js";
import { api, appUrl, centreName, errorText, isAdmin, isMine, session } from "../lib/session.js";
import { followEvents } from "../../static/event-stream.js";
import { focusHeading, registerPage, router, setTitleBadge, updateTitle } from "../lib/router.js";
import { channelName, langName, parishName } from "../lib/words.js";
import { HASH_PREFIX, opened, openTicketTitle, refreshTicket, resetTicket, route, setQueueHooks, wireTicket } from "./ticket.js";

/** Events that come close together cause one refresh. */
const EVENT_DEBOUNCE_MS = 200;
/** A safety net in case an event is lost: the queue is fetched again this often anyway. */
const POLL_MS = 60000;
const CLOCK_MS = 30000;
const PREFS_KEY = "digipaligs.staff.prefs";
const TABS = ["waiting", "mine", "open", "closed"];

const EMPTY_TEXTS = {
  waiting: "Pašlaik neviens pieteikums negaida. Jauni parādīsies šeit paši.",
  mine: "Jums nav pieņemtu pieteikumu.",
  open: "Atvērtu pieteikumu nav.",
  closed: "Slēgtu pieteikumu vēl nav.",
};
const HINTS = {
  waiting: "Vecākie augšā – tie gaida visilgāk.",
  mine: "Jūsu pieņemtie pieteikumi.",
  open: "Gaidošie un darbinieku pieņemtie pieteikumi.",
  closed: "Pēdējie slēgtie, jaunākie augšā (līdz 100). Vecākus atradīsiet ar meklēšanu.",
};

const state = {
  tab: "waiting",
  centre: "",
  lists: { waiting: [], assigned: [], mine: [], closed: [] },
  /** The search shown instead of the tabs ("" when none) and what it found. */
  search: "",
  searchResults: null,
  listsLoaded: false,
  seenWaiting: new Set(),
  fresh: new Set(),
  queueLoading: false,
  queueAgain: false,
  events: null,
  eventsDown: false,
  pendingIds: new Set(),
  debounceTimer: 0,
  timers: [],
  lastQueueAt: 0,
  running: false,
  /** The first lists were fetched (the open ticket is routed from then on). */
  ready: false,
};

const ui = {
  connection: $("connection"),
  connectionText: $("connection-text"),
  queueTitle: $("queue-title"),
  centreFilter: $("centre-filter"),
  queuePanel: $("queue-panel"),
  queueHint: $("queue-hint"),
  queueError: $("queue-error"),
  queueList: $("queue-list"),
  queueEmpty: $("queue-empty"),
  queueTabs: $("queue-tabs"),
  searchForm: $("queue-search"),
  searchText: $("queue-search-text"),
  searchResults: $("search-results"),
  searchTitle: $("search-title"),
  searchSummary: $("search-summary"),
  searchError: $("search-error"),
  searchList: $("search-list"),
  searchClear: $("search-clear"),
};

/** localStorage that never throws. */
const prefs = {
  read() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(PREFS_KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch {
      return {};
    }
  },
  write(value) {
    try { window.localStorage.setItem(PREFS_KEY, JSON.stringify(value)); } catch { /* kept in memory only */ }
  },
};

// ---------------------------------------------------------------------------------------------
// Centre filter and tabs

function fillCentreFilter(saved) {
  const own = isAdmin()
    ? session.centres.map((c) => c.id)
    : (Array.isArray(session.staff.centres) ? session.staff.centres : []).filter((id) => typeof id === "string");
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
  // The closed list is fetched only while it is shown.
  if (tab === "closed" && state.running) void refreshQueue();
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
  if (!session.staff) return;
  if (state.queueLoading) {
    state.queueAgain = true;
    return;
  }
  state.queueLoading = true;
  state.lastQueueAt = Date.now();
  const centre = state.centre;
  try {
    const closedWanted = state.tab === "closed";
    const searched = state.search;
    const [waiting, assigned, mine, closed, found] = await Promise.all([
      api("GET", ticketsQuery({ status: "waiting" })),
      api("GET", ticketsQuery({ status: "assigned" })),
      api("GET", ticketsQuery({ status: "assigned", mine: "1" })),
      closedWanted ? api("GET", ticketsQuery({ status: "closed" })) : null,
      searched ? api("GET", ticketsQuery({ q: searched })) : null,
    ]);
    if (!session.staff || centre !== state.centre) return;
    const lists = {
      waiting: ticketList(waiting), assigned: ticketList(assigned), mine: ticketList(mine),
      closed: closedWanted ? ticketList(closed) : state.lists.closed,
    };
    if (searched && searched === state.search) state.searchResults = ticketList(found);
    // Newly waiting: created, transferred here, or back in the queue since the last look.
    const newcomers = state.listsLoaded ? lists.waiting.filter((t) => !state.seenWaiting.has(t.id)) : [];
    state.seenWaiting = new Set(lists.waiting.map((t) => t.id));
    for (const t of newcomers) if (t.id !== opened.id) state.fresh.add(t.id);
    // "New" lasts while the ticket waits and nobody has opened it here.
    const waitingIds = new Set(lists.waiting.map((t) => t.id));
    for (const id of Array.from(state.fresh)) if (!waitingIds.has(id)) state.fresh.delete(id);
    state.lists = lists;
    state.listsLoaded = true;
    hideAlert(ui.queueError);
    renderQueue();
    renderSearch();
    updateTitle();
    if (newcomers.length === 1) {
      const t = newcomers[0];
      announce(`Jauns pieteikums ${t.number}: ${parishName(t.parish)}. Gaida: ${lists.waiting.length}.`);
    } else if (newcomers.length > 1) {
      announce(`${newcomers.length} jauni pieteikumi. Gaida: ${lists.waiting.length}.`);
    }
  } catch (error) {
    if (!session.staff) return;
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
  if (state.tab === "closed") return state.lists.closed;
  if (state.tab === "open") return state.lists.waiting.concat(state.lists.assigned);
  return state.lists.waiting;
}

function holderText(ticket) {
  if (ticket.status === "closed") return "Slēgts";
  if (!ticket.assignee) return "Gaida – neviens vēl nav pieņēmis";
  return isMine(ticket) ? "Pieņēmāt jūs" : `Pieņēma: ${str(ticket.assignee.displayName)}`;
}

/** One ticket in a list; `withHolder`: say who holds it (or that it is closed). */
function queueItem(ticket, withHolder = state.tab !== "waiting") {
  const li = el("li", "queue-item");
  const a = el("a", "ticket-link");
  a.href = `${HASH_PREFIX}${ticket.id}`;
  a.setAttribute("data-id", String(ticket.id));
  if (ticket.id === opened.id) a.setAttribute("aria-current", "true");
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
  if (withHolder) {
    if (ticket.status === "closed") {
      const closedAt = ticket.closedAt ? timeEl(ticket.closedAt, "Slēgts ") : null;
      const line = el("span", "ticket-link-holder holder-closed", closedAt ? "" : "Slēgts");
      if (closedAt) line.appendChild(closedAt);
      a.appendChild(line);
    } else {
      a.appendChild(el("span", `ticket-link-holder holder-${ticket.assignee ? (isMine(ticket) ? "me" : "other") : "none"}`, holderText(ticket)));
    }
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
  // "Slēgtie" has no count (it shows the latest closed tickets only).
  for (const tab of Object.keys(counts)) $(`count-${tab}`).textContent = String(counts[tab]);
  $("tab-waiting").classList.toggle("has-new", state.fresh.size > 0);

  // Nothing changed: leave the list alone (no lost clicks, no jumping).
  const list = currentList();
  const signature = JSON.stringify([state.tab, opened.id, Array.from(state.fresh), state.listsLoaded, list]);
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

// ---------------------------------------------------------------------------------------------
// Search: shown instead of the tabs while there is one

let lastSearchSignature = "";

function renderSearch() {
  const searching = state.search !== "";
  ui.searchResults.hidden = !searching;
  ui.queueTabs.hidden = searching;
  ui.queuePanel.hidden = searching;
  if (!searching) {
    lastSearchSignature = "";
    return;
  }
  const results = state.searchResults;
  const signature = JSON.stringify([state.search, opened.id, results]);
  if (signature === lastSearchSignature) return;
  lastSearchSignature = signature;
  ui.searchList.textContent = "";
  if (results === null) {
    ui.searchSummary.textContent = `Meklē «${shorten(state.search, 60)}»…`;
    return;
  }
  for (const ticket of results) ui.searchList.appendChild(queueItem(ticket, true));
  ui.searchSummary.textContent = results.length === 0
    ? `Nekas neatrasts pēc «${shorten(state.search, 60)}». Pārbaudiet numuru vai mēģiniet citus vārdus.`
    : `${plural(results.length, "Atrasts", "Atrasti")} ${results.length} ${plural(results.length, "pieteikums", "pieteikumi")} pēc «${shorten(state.search, 60)}» (atvērtie un slēgtie${results.length >= 100 ? "; rādīti jaunākie 100" : ""}).`;
}

/** Searches the tickets of the chosen centre (all of the staff member's centres). */
async function runSearch(text) {
  state.search = text.trim();
  state.searchResults = null;
  hideAlert(ui.searchError);
  renderSearch();
  if (!state.search) {
    renderQueue();
    return;
  }
  ui.searchTitle.focus();
  const searched = state.search;
  try {
    const found = await api("GET", ticketsQuery({ q: searched }));
    if (searched !== state.search) return;
    state.searchResults = ticketList(found);
    renderSearch();
    announce(ui.searchSummary.textContent);
  } catch (error) {
    if (!session.staff || searched !== state.search) return;
    state.searchResults = [];
    renderSearch();
    ui.searchSummary.textContent = "";
    showAlert(ui.searchError, `Meklēšana neizdevās. ${errorText(error)}`);
  }
}

function clearSearch() {
  ui.searchText.value = "";
  void runSearch("");
  const tab = document.querySelector(`.tabs [role=tab][data-tab="${state.tab}"]`);
  if (tab) tab.focus();
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
  if (state.events) state.events.close();
  state.events = null;
}

function openEvents() {
  closeEvents();
  if (!session.staff || typeof EventSource === "undefined") return;
  setConnection("connecting");
  const onTicketEvent = (event) => {
    let data = null;
    try {
      data = JSON.parse(event.data);
    } catch {
      /* not ours: refresh anyway */
    }
    scheduleRefresh(data && typeof data.ticketId === "number" ? data.ticketId : null);
  };
  state.events = followEvents({
    url: () => (session.staff ? appUrl("api/staff/events") : null),
    on: {
      // The server says `ready` once it is subscribed: fetch again, so that nothing that happened
      // between the last fetch and the subscription is missed.
      ready: () => void refreshAll(),
      // Events are named `ticket`; unnamed ones are taken the same way.
      ticket: onTicketEvent,
      message: onTicketEvent,
    },
    onOpen: () => {
      setConnection("online");
      // Events may have been missed while the stream was down.
      if (state.eventsDown) {
        state.eventsDown = false;
        void refreshAll();
      }
    },
    onError: () => {
      state.eventsDown = true;
      setConnection("offline");
    },
    // A refused stream (e.g. 401): check the session (and take a new CSRF token) before reopening.
    beforeReopen: async () => {
      try {
        const me = await api("GET", "api/staff/me");
        if (me && typeof me.csrfToken === "string") state.csrf = me.csrfToken;
      } catch (error) {
        if (error.status === 401) return false; // sessionLost() has run
      }
      return Boolean(session.staff);
    },
  });
}

function scheduleRefresh(ticketId) {
  if (ticketId === null) {
    if (opened.id) state.pendingIds.add(opened.id);
  } else {
    state.pendingIds.add(ticketId);
  }
  clearTimeout(state.debounceTimer);
  state.debounceTimer = setTimeout(() => {
    const ids = state.pendingIds;
    state.pendingIds = new Set();
    void refreshQueue();
    if (opened.id && ids.has(opened.id)) void refreshTicket();
  }, EVENT_DEBOUNCE_MS);
}

async function refreshAll() {
  await Promise.all([refreshQueue(), refreshTicket()]);
}


// ---------------------------------------------------------------------------------------------
// Start, stop and the page

/** Marks the open ticket in the list; `seen`: it was just opened (no longer "new"). */
function markOpened(id, seen) {
  if (seen && state.fresh.delete(id)) renderQueue();
  for (const link of document.querySelectorAll("#queue-list .ticket-link, #search-list .ticket-link")) {
    if (Number(link.getAttribute("data-id")) === opened.id) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

/** Starts the queue after a login: the saved tab and centre, live events, the lists, the clock. */
async function startQueue() {
  state.running = true;
  ui.connection.hidden = false;
  const saved = prefs.read();
  state.tab = TABS.indexOf(saved.tab) !== -1 ? saved.tab : "waiting";
  fillCentreFilter(saved.centre);
  selectTab(state.tab, false);
  openEvents();
  await refreshQueue();
  if (!session.staff) return;
  state.ready = true;
  if (router.current === "queue") route(false);
  state.timers.push(setInterval(refreshTimes, CLOCK_MS));
  state.timers.push(setInterval(() => {
    if (Date.now() - state.lastQueueAt > POLL_MS - 1000) void refreshAll();
  }, POLL_MS));
}

/** Stops everything the queue runs and forgets what it showed. */
function stopQueue() {
  state.running = false;
  state.ready = false;
  closeEvents();
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  clearTimeout(state.debounceTimer);
  state.lists = { waiting: [], assigned: [], mine: [], closed: [] };
  state.listsLoaded = false;
  state.seenWaiting = new Set();
  state.fresh = new Set();
  state.search = "";
  state.searchResults = null;
  ui.searchText.value = "";
  ui.searchList.textContent = "";
  renderSearch();
  ui.queueList.textContent = "";
  ui.connection.hidden = true;
  lastQueueSignature = "";
  resetTicket();
}

function wireQueue() {
  ui.centreFilter.addEventListener("change", () => {
    state.centre = ui.centreFilter.value;
    state.listsLoaded = false;
    state.seenWaiting = new Set();
    state.fresh = new Set();
    state.lists = { waiting: [], assigned: [], mine: [], closed: [] };
    if (state.search) state.searchResults = null;
    savePrefs();
    renderQueue();
    renderSearch();
    void refreshQueue();
  });
  ui.searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void runSearch(ui.searchText.value);
  });
  // Emptying the field (or its ✕) ends the search; Escape too.
  ui.searchText.addEventListener("input", () => {
    if (ui.searchText.value.trim() === "" && state.search) void runSearch("");
  });
  ui.searchText.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.search) {
      event.preventDefault();
      clearSearch();
    }
  });
  ui.searchClear.addEventListener("click", clearSearch);
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
  // A click on the ticket already open (no hash change) still moves the focus there.
  const sameTicket = (event) => {
    const link = event.target instanceof window.Element ? event.target.closest(".ticket-link") : null;
    if (link && link.getAttribute("href") === window.location.hash) {
      event.preventDefault();
      route(true);
    }
  };
  ui.queueList.addEventListener("click", sameTicket);
  ui.searchList.addEventListener("click", sameTicket);
  window.addEventListener("pagehide", closeEvents);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && session.staff && state.running) {
      openEvents();
      void refreshAll();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && session.staff && state.running && Date.now() - state.lastQueueAt > 15000) void refreshAll();
  });
  wireTicket();
}

setQueueHooks({ changed: () => void refreshQueue(), opened: markOpened });

registerPage({
  id: "queue",
  hash: "#rinda",
  name: "Pieteikumu rinda",
  roles: ["agent", "admin"],
  section: "console-view",
  heading: "queue-title",
  matches: (hash) => hash.indexOf(HASH_PREFIX) === 0,
  // Back to the queue keeps the open ticket.
  link: () => (opened.id ? `${HASH_PREFIX}${opened.id}` : "#rinda"),
  title: () => openTicketTitle(),
  start: startQueue,
  enter({ focus, again }) {
    if (focus && !again) focusHeading("queue");
    // Before the first lists arrive, startQueue() opens the ticket.
    if (state.ready) route(focus);
  },
  reset: stopQueue,
  wire: wireQueue,
});

// "(2 gaida) …": the number waiting comes first in the window title.
setTitleBadge(() => (state.running && state.lists.waiting.length > 0 ? `(${state.lists.waiting.length} gaida) ` : ""));
