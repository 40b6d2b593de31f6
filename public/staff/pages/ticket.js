/* global window, document, location, history, ResizeObserver, setTimeout, clearTimeout */
/**
 * The open ticket (the queue page's right side): its header with who holds it, the context
 * packet (parish, language, guide and flow step where the resident got stuck, call-back number),
 * the conversation with the bot and the staff, and the actions — claim, reply, internal note,
 * transfer to another centre, close with a reason. The address is "#pieteikums/<id>".
 */
import { $, announce, el, hideAlert, shorten, showAlert, str, submitOnCtrlEnter, tabKeys } from "../lib/dom.js";
import { timeEl } from "../lib/format.js";
import { api, centreName, errorText, isAdmin, isMine, session } from "../lib/session.js";
import { updateTitle } from "../lib/router.js";
import { CHANNELS, ERRORS, LANG_ADVERB, STATUS_NAMES } from "../lib/words.js";
import { phoneLink, renderContext, renderConversation } from "./ticket-conversation.js";

/** The address of a ticket: "#pieteikums/12". */
export const HASH_PREFIX = "#pieteikums/";

/** The open ticket: its id (set before it loads) and what was loaded. */
export const opened = { id: null, ticket: null };

const state = {
  seq: 0,
  mode: "reply",
  stickToEnd: true,
  busy: false,
};

/** What the queue does when a ticket changes or is opened. */
const hooks = { changed: () => {}, opened: () => {} };

/** Tells the ticket view how to refresh the queue (`changed`) and mark the open one (`opened`). */
export function setQueueHooks(next) {
  Object.assign(hooks, next);
}

const ui = {
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
};

/** The open ticket's number while it is shown (for the window title), else "". */
export const openTicketTitle = () => (opened.ticket && !ui.ticketView.hidden ? str(opened.ticket.number) : "");

function setBusy(button, busy) {
  state.busy = busy;
  document.documentElement.classList.toggle("is-busy", busy);
  if (button) button.setAttribute("aria-disabled", String(busy));
}

// ---------------------------------------------------------------------------------------------
// Notices

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

function clearTicketNotices() {
  for (const node of [ui.ticketAlert, ui.composerAlert, ui.transferAlert, ui.closeAlert]) hideAlert(node);
  clearTimeout(infoTimer);
  hideInfo();
}


// ---------------------------------------------------------------------------------------------
// The open ticket

export function ticketIdFromHash() {
  const hash = location.hash;
  if (hash.indexOf(HASH_PREFIX) !== 0) return null;
  const id = Number(hash.slice(HASH_PREFIX.length));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** Opens the ticket the address asks for (or says none is open). */
export function route(focus) {
  if (!session.staff) return;
  const id = ticketIdFromHash();
  if (id === null) {
    showNoTicket("Pieteikums nav atvērts", "Izvēlieties pieteikumu rindā kreisajā pusē.", false);
    return;
  }
  if (id !== opened.id || !opened.ticket) void openTicket(id, focus);
  else if (focus) ui.ticketTitle.focus();
}

function showNoTicket(title, text, focus) {
  opened.id = null;
  opened.ticket = null;
  state.seq++;
  ui.ticketView.hidden = true;
  ui.ticketEmpty.hidden = false;
  ui.ticketEmptyTitle.textContent = title;
  ui.ticketEmptyText.textContent = text;
  markCurrent();
  updateTitle();
  if (focus) ui.ticketEmptyTitle.focus();
}

function markCurrent() {
  hooks.opened(opened.id, false);
}

async function openTicket(id, focus) {
  const switching = id !== opened.id;
  opened.id = id;
  if (switching) {
    opened.ticket = null;
    clearTicketNotices();
    ui.replyText.value = "";
    ui.noteText.value = "";
    ui.closeReason.value = "";
    ui.transferCentre.value = "";
    closePanels(false);
    setMode("reply", false);
  }
  hooks.opened(id, true);
  const seq = ++state.seq;
  try {
    const data = await api("GET", `api/staff/tickets/${id}`);
    if (seq !== state.seq || !data.ticket) return;
    renderTicket(data.ticket, { scrollToEnd: true });
    if (focus) ui.ticketTitle.focus();
  } catch (error) {
    if (seq !== state.seq || !session.staff) return;
    const title = error.status === 404 || error.status === 403 ? "Pieteikums nav pieejams" : "Pieteikumu neizdevās atvērt";
    showNoTicket(title, errorText(error), focus);
  }
}

/** Fetches the open ticket again (after an event), keeping drafts and the reading position. */
export async function refreshTicket() {
  const id = opened.id;
  if (!id || !session.staff) return;
  const seq = ++state.seq;
  try {
    const data = await api("GET", `api/staff/tickets/${id}`);
    if (seq !== state.seq || !data.ticket) return;
    const before = opened.ticket;
    renderTicket(data.ticket, {});
    announceChanges(before, data.ticket);
  } catch (error) {
    if (seq !== state.seq || !session.staff) return;
    if (error.status === 404 || error.status === 403) {
      const number = opened.ticket ? opened.ticket.number : "";
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

function renderTicket(t, options) {
  const previous = opened.ticket;
  const scroller = ui.conversationScroller;
  const wasAtEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const top = scroller.scrollTop;
  opened.ticket = t;
  opened.id = t.id;
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

  renderContext(ui.context, t);
  renderConversation(ui.conversation, t);

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
  for (const centre of session.centres) {
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
  const ticket = opened.ticket;
  if (!ticket || state.busy) return null;
  clearTicketNotices();
  setBusy(button, true);
  const seq = ++state.seq;
  try {
    const data = await api("POST", `api/staff/tickets/${ticket.id}/${path}`, body);
    setBusy(button, false);
    if (data.ticket && seq === state.seq && opened.id === ticket.id) renderTicket(data.ticket, { scrollToEnd: true });
    hooks.changed();
    return data.ticket || ticket;
  } catch (error) {
    setBusy(button, false);
    if (!session.staff) return null;
    let text = errorText(error);
    if (error.code === "already_claimed") {
      await refreshTicket();
      const holder = opened.ticket && opened.ticket.assignee ? str(opened.ticket.assignee.displayName) : "";
      if (holder && !isMine(opened.ticket)) text = `${ERRORS.already_claimed} (${holder})`;
    } else if (error.status === 409) {
      await refreshTicket();
    }
    hooks.changed();
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
  const number = opened.ticket ? opened.ticket.number : "";
  const done = await act($("transfer-button"), ui.transferAlert, "transfer", { centre });
  if (!done) return;
  const text = `Pieteikums ${number} nodots: ${centreName(centre)}.`;
  ui.transferCentre.value = "";
  closePanels(false);
  announce(text);
  // The other centre's ticket may no longer be ours to see: check, and say so either way.
  await refreshTicket();
  if (opened.id) {
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
// Reset and wiring

/** Forgets the open ticket and the drafts (logout). */
export function resetTicket() {
  opened.id = null;
  opened.ticket = null;
  state.seq++;
  ui.conversation.textContent = "";
  ui.replyText.value = "";
  ui.noteText.value = "";
  ui.closeReason.value = "";
}

/** Connects the ticket view's buttons and forms (once). */
export function wireTicket() {
  const modes = Array.from(document.querySelectorAll(".composer-tab"));
  for (const button of modes) {
    button.addEventListener("click", () => setMode(button.getAttribute("data-mode"), false));
    button.addEventListener("keydown", (event) => tabKeys(event, modes, (next) => {
      setMode(next.getAttribute("data-mode"), false);
      next.focus();
    }));
  }
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
  submitOnCtrlEnter(ui.replyText, ui.replyForm);
  submitOnCtrlEnter(ui.noteText, ui.noteForm);
}
