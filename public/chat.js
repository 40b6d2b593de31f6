/* global window, document, navigator, location, URLSearchParams, setTimeout, clearTimeout, requestAnimationFrame, console, crypto */
/**
 * DigiPalīgs web chat (ES module, no build step, no dependencies).
 *
 * Texts from the server are plain text: they are only ever set through textContent. Web
 * addresses, e-mail addresses and Latvian phone numbers become links built as elements.
 * Written for browsers from about 2020 on (older iPads too): no look-behind in regular
 * expressions, no Array.prototype.at, no AbortSignal.timeout.
 */
import { ApiError } from "./api-client.js";
import { api, eventsUrl, readSession, removeSession, saveLang, savedLang, saveSession, sessionPath } from "./chat-session.js";
import { createChatLog } from "./chat-log.js";
import { initVoice } from "./voice.js";
import { followEvents } from "./event-stream.js";
import { ACTION_EMOJI, ACTION_IDS, T } from "./chat-texts.js";

const LANGS = ["lv", "ru", "en"];
const MAX_INPUT = 2000;
const COUNT_FROM = 1500;
const TYPING_DELAY_MS = 250;

// ---------------------------------------------------------------------------------------------
// Small helpers

const isLang = (value) => typeof value === "string" && LANGS.indexOf(value) !== -1;

// ---------------------------------------------------------------------------------------------
// Elements and state

const root = document.documentElement;
const params = new URLSearchParams(location.search);
const embedded = params.get("embed") === "1";

const $ = (id) => document.getElementById(id);
const messagesEl = $("messages");
const scroller = $("scroller");
const typingEl = $("typing");
const noticeEl = $("notice");
const noticeText = $("notice-text");
const retryButton = $("retry");
const form = $("composer-form");
const input = $("message-input");
const sendButton = $("send");
const charCount = $("char-count");
const lengthNotice = $("length-notice");

const state = {
  lang: "lv",
  session: null, // { id, token }
  busy: false,
  retry: null,
  typingTimer: 0,
  events: null,
  lastEventId: "",
};

const t = () => T[state.lang];
/** Speech (public/voice.js): 🎤 and 🔊 when the server offers them. */
let voice = null;
const { addUserMessage, setFailed, renderReplies, renderHistory, scrollToEnd, reveal } = createChatLog({ messagesEl, scroller, typingEl, texts: t, voice: () => voice });
const reducedMotion = () => typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

// ---------------------------------------------------------------------------------------------
// Language

function browserLang() {
  const list = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""]);
  for (const tag of list) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "lv";
}

function initialLang() {
  const asked = params.get("lang");
  if (isLang(asked)) return asked;
  const stored = savedLang();
  if (isLang(stored)) return stored;
  return browserLang();
}

/** Translates the page chrome and sets <html lang>. */
function applyLang(lang) {
  state.lang = lang;
  if (voice) voice.relabel();
  const texts = T[lang];
  root.lang = lang;
  document.title = texts.title;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = texts[node.getAttribute("data-i18n")];
    if (typeof text === "string") node.textContent = text;
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    const text = texts[node.getAttribute("data-i18n-placeholder")];
    if (typeof text === "string") node.setAttribute("placeholder", text);
  }
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    const text = texts[node.getAttribute("data-i18n-label")];
    if (typeof text === "string") node.setAttribute("aria-label", text);
  }
  for (const button of document.querySelectorAll(".lang-button")) {
    button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === lang));
  }
  updateCount();
}

function setLang(lang) {
  if (!isLang(lang)) return;
  saveLang(lang);
  if (lang !== state.lang || root.lang !== lang) applyLang(lang);
}

// ---------------------------------------------------------------------------------------------
// Busy state, notices

function setBusy(busy) {
  state.busy = busy;
  root.classList.toggle("is-busy", busy);
  root.setAttribute("data-chat", busy ? "busy" : "ready");
  sendButton.setAttribute("aria-disabled", String(busy));
  clearTimeout(state.typingTimer);
  if (busy) {
    state.typingTimer = setTimeout(() => {
      typingEl.hidden = false;
      scrollToEnd(true);
    }, TYPING_DELAY_MS);
  } else {
    typingEl.hidden = true;
  }
}

function errorText(error, starting) {
  if (error && error.status === 429) return t().rateLimited;
  if (error && error.status === 413) return t().tooLong;
  if (error && error.status === 503) return t().unavailable;
  if (starting) return t().startFailed;
  if (!error || error.status === 0) return navigator.onLine === false ? t().offline : t().network;
  return t().server;
}

function showNotice(text, retry) {
  state.retry = retry;
  noticeText.textContent = text;
  retryButton.hidden = !retry;
  noticeEl.hidden = false;
  requestAnimationFrame(() => noticeEl.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" }));
}

function hideNotice() {
  state.retry = null;
  noticeEl.hidden = true;
  noticeText.textContent = "";
}

// ---------------------------------------------------------------------------------------------
// API

function forgetSession() {
  closeEvents();
  state.session = null;
  state.lastEventId = "";
  removeSession();
}

async function createSession(render) {
  const data = await api("POST", "api/chat/sessions", { lang: state.lang });
  if (typeof data.id !== "string" || typeof data.token !== "string") throw new ApiError(0, "bad_response");
  state.session = { id: data.id, token: data.token };
  saveSession(state.session);
  setLang(isLang(data.lang) ? data.lang : state.lang);
  if (render) renderReplies(data.replies);
  openEvents();
}

/** Restores the saved conversation; false when there is none (or the server forgot it). */
async function restoreSession() {
  const saved = readSession();
  if (!saved) return false;
  let data;
  try {
    data = await api("GET", sessionPath(saved.id), undefined, saved.token);
  } catch (error) {
    if (error.status === 400 || error.status === 401 || error.status === 403 || error.status === 404) {
      forgetSession();
      return false;
    }
    throw error;
  }
  const messages = Array.isArray(data.messages) ? data.messages : [];
  if (!messages.length) {
    forgetSession();
    return false;
  }
  state.session = saved;
  setLang(isLang(data.lang) ? data.lang : state.lang);
  renderHistory(messages);
  openEvents();
  return true;
}

async function boot() {
  hideNotice();
  setBusy(true);
  try {
    if (!(await restoreSession())) await createSession(true);
    setBusy(false);
  } catch (error) {
    console.warn("DigiPalīgs: could not start", error);
    setBusy(false);
    root.setAttribute("data-chat", "error");
    showNotice(errorText(error, true), boot);
  }
}

/** A new client message id: sent again with the message on "Try again", so it is stored and answered once. */
function newMessageId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function postMessage(action) {
  if (!action.messageId) action.messageId = newMessageId();
  if (action.post) return action.post(state.session, action.messageId);
  const body = action.button ? { button: action.button, messageId: action.messageId } : { text: action.text, messageId: action.messageId };
  return api("POST", `${sessionPath(state.session.id)}/messages`, body, state.session.token);
}

/**
 * Sends a typed text ({text}) or a pressed button ({button, label}). Shows the resident's
 * message at once; on failure marks it "not sent" and offers to try again.
 * Returns false when another message is still on its way.
 */
function send(action, again) {
  if (state.busy) return false;
  hideNotice();
  const bubble = again || addUserMessage(action.label || action.text);
  if (again) setFailed(again, false);
  reveal(bubble);
  setBusy(true);
  void deliver(action, bubble);
  return true;
}

async function deliver(action, bubble) {
  try {
    if (!state.session) await createSession(false);
    let data;
    try {
      data = await postMessage(action);
    } catch (error) {
      if (error.status !== 401 && error.status !== 404) throw error;
      // The server no longer knows this conversation: start a new one quietly and resend.
      forgetSession();
      await createSession(false);
      data = await postMessage(action);
    }
    setBusy(false);
    setLang(isLang(data.lang) ? data.lang : action.lang || state.lang);
    if (data.forgotten === true) {
      // Deleted on the server: drop this browser's copy too, and start afresh with the next message.
      forgetSession();
      messagesEl.textContent = "";
      renderReplies(data.replies);
      renderReplies([{ text: t().forgotten, buttons: [] }]);
      return;
    }
    renderReplies(data.replies, bubble);
  } catch (error) {
    console.warn("DigiPalīgs: message not sent", error);
    setBusy(false);
    setFailed(bubble, true);
    showNotice(errorText(error, false), () => send(action, bubble));
  }
}

// ---------------------------------------------------------------------------------------------
// Messages that arrive later (e.g. from a member of staff)

function closeEvents() {
  if (state.events) state.events.close();
  state.events = null;
}

function openEvents() {
  closeEvents();
  if (!state.session) return;
  state.events = followEvents({
    url: () => (state.session ? eventsUrl(state.session, state.lastEventId) : null),
    on: {
      message: (event) => {
        if (event.lastEventId) state.lastEventId = event.lastEventId;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        if (!data || typeof data !== "object") return;
        if (isLang(data.lang)) setLang(data.lang);
        renderReplies(data.replies);
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Composer

function autosize() {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + 4}px`;
}

/**
 * The counter under the text box (from {@link COUNT_FROM} characters on) and, when the text is
 * longer than one message may be, a notice that says so before anything is sent. Nothing is cut:
 * the resident decides what to shorten.
 */
function updateCount() {
  if (!input) return;
  const length = input.value.length;
  const over = length > MAX_INPUT;
  input.setAttribute("aria-invalid", String(over));
  if (length < COUNT_FROM) {
    charCount.hidden = true;
    charCount.textContent = "";
  } else {
    charCount.hidden = false;
    charCount.textContent = t().charsLeft(MAX_INPUT - length);
    charCount.classList.toggle("over", over);
  }
  // Announced once when the text becomes too long (a status region), not at every keystroke.
  const notice = over ? t().tooLongNotice(length, MAX_INPUT) : "";
  if (over !== !lengthNotice.hidden) {
    lengthNotice.hidden = !over;
    lengthNotice.textContent = notice;
  } else if (over) {
    lengthNotice.textContent = notice;
  }
}

function submitText() {
  const text = input.value.trim();
  if (!text) {
    input.focus();
    return;
  }
  if (text.length > MAX_INPUT) {
    updateCount();
    lengthNotice.hidden = false;
    lengthNotice.textContent = t().tooLongNotice(text.length, MAX_INPUT);
    input.focus();
    return;
  }
  if (!send({ text })) return;
  input.value = "";
  autosize();
  updateCount();
  input.focus();
}

function wire() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitText();
  });

  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submitText();
  });
  input.addEventListener("input", () => {
    autosize();
    updateCount();
  });

  messagesEl.addEventListener("click", (event) => {
    const button = event.target instanceof window.Element ? event.target.closest(".choice") : null;
    if (!button || state.busy) return;
    const id = button.getAttribute("data-id");
    if (!id) return;
    const target = id.indexOf("lang:") === 0 ? id.slice(5) : null;
    if (send({ button: id, label: button.textContent, lang: isLang(target) ? target : undefined })) {
      button.classList.add("chosen");
    }
  });

  for (const button of document.querySelectorAll(".action-button")) {
    button.addEventListener("click", () => {
      const action = button.getAttribute("data-button");
      const id = ACTION_IDS[action];
      if (!id) return;
      // "End and delete": the bot asks to confirm; nothing is deleted before "Yes".
      send({ button: id, label: `${ACTION_EMOJI[action]} ${t()[action]}` });
    });
  }

  for (const button of document.querySelectorAll(".lang-button")) {
    button.addEventListener("click", () => {
      const lang = button.getAttribute("data-lang");
      if (!isLang(lang) || state.busy) return;
      if (!state.session) {
        // Nothing to switch yet (the start failed): start again in that language.
        setLang(lang);
        void boot();
        return;
      }
      if (lang === state.lang) return;
      send({ button: `lang:${lang}`, label: `🌐 ${T[lang].langName}`, lang });
    });
  }

  retryButton.addEventListener("click", () => {
    const retry = state.retry;
    if (retry) retry();
  });

  window.addEventListener("pagehide", closeEvents);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && state.session) openEvents();
  });

  if (embedded) {
    // Keys pressed inside the iframe do not reach the host page: tell the widget.
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && window.parent !== window) {
        window.parent.postMessage({ type: "digipaligs:close" }, "*");
      }
    });
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent || !event.data || event.data.type !== "digipaligs:focus") return;
      input.focus({ preventScroll: true });
    });
  }
}

function main() {
  voice = initVoice({ form, send, session: () => state.session, sessionPath, lang: () => state.lang, showNotice: (text) => showNotice(text, null), busy: () => state.busy });
  if (embedded) root.classList.add("embed");
  root.setAttribute("data-chat", "starting");
  applyLang(initialLang());
  wire();
  void boot();
}

main();
