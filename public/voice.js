/* global window, document, navigator, fetch, URL, Blob, MediaRecorder, setTimeout, clearTimeout, setInterval, clearInterval, AbortController, console */
/**
 * Speech in the web chat (ES module, no dependencies): a 🎤 button that records a question with
 * MediaRecorder and sends it to `POST …/voice`, and a "🔊" button under answers worth listening
 * to that plays them (`POST …/speech`). Both appear only when the server offers them
 * (`GET api/chat/voice`) and the browser can record / play.
 *
 * The 🎤 button: tap to start, tap again to send; or hold it and let go to send. Escape cancels.
 * It is a real button (keyboard: Enter or Space), says its state in its name and `aria-pressed`,
 * and a polite live region says "recording… 0:05" and when it was sent. Recording stops by
 * itself at 2 minutes (the server's limit).
 */

import { requestJson } from "./api-client.js";
import { el } from "./dom.js";

const MAX_SECONDS = 120;
/** Held longer than this, letting go sends (press-and-hold); shorter is a tap that toggles. */
const HOLD_MS = 600;
const REQUEST_TIMEOUT_MS = 60000;

const T = {
  lv: {
    record: "Ierunāt jautājumu",
    stop: "Beigt un nosūtīt",
    recording: (time) => `Ieraksta… ${time}. Spiediet vēlreiz, lai nosūtītu, vai Escape, lai atceltu.`,
    cancelled: "Ieraksts atcelts.",
    voiceMessage: "🎤 Balss ziņa",
    micDenied: "Mikrofonu neizdevās ieslēgt. Lūdzu, atļaujiet mikrofonu pārlūkā vai uzrakstiet jautājumu.",
    listen: "🔊 Noklausīties",
    loading: "Gatavo ierakstu…",
    listenFailed: "Atvainojiet, šo atbildi šobrīd nevaru nolasīt balsī.",
    player: "Atbilde balsī",
  },
  ru: {
    record: "Сказать вопрос голосом",
    stop: "Закончить и отправить",
    recording: (time) => `Идёт запись… ${time}. Нажмите ещё раз, чтобы отправить, или Escape, чтобы отменить.`,
    cancelled: "Запись отменена.",
    voiceMessage: "🎤 Голосовое сообщение",
    micDenied: "Не удалось включить микрофон. Пожалуйста, разрешите микрофон в браузере или напишите вопрос.",
    listen: "🔊 Прослушать",
    loading: "Готовлю запись…",
    listenFailed: "Извините, сейчас не могу озвучить этот ответ.",
    player: "Ответ голосом",
  },
  en: {
    record: "Ask by voice",
    stop: "Stop and send",
    recording: (time) => `Recording… ${time}. Press again to send, or Escape to cancel.`,
    cancelled: "Recording cancelled.",
    voiceMessage: "🎤 Voice message",
    micDenied: "The microphone could not be turned on. Please allow it in the browser, or type your question.",
    listen: "🔊 Listen",
    loading: "Preparing the audio…",
    listenFailed: "Sorry, I cannot read this answer aloud right now.",
    player: "The answer as speech",
  },
};

/** The recording types the server takes, best first. */
const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/**
 * Wires speech into the chat page. `chat` gives what the page owns: `form`, `send(action)` (with
 * `{label, post(session, messageId)}`), `session()`, `sessionPath(id)`, `lang()`, `showNotice(text)`
 * and `busy()`. Returns `decorate(wrap, reply)` for each bot message added and `relabel()`.
 */
export function initVoice(chat) {
  const pending = [];
  let speak = false;
  let ready = false;
  const texts = () => T[chat.lang()] || T.lv;

  // ---- 🔊 under answers -------------------------------------------------------------------

  function addListen(wrap, reply) {
    const button = el("button", "choice listen-button", texts().listen);
    button.type = "button";
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      void play(wrap, reply.text, button);
    });
    const row = el("div", "listen-row");
    row.appendChild(button);
    const bubble = wrap.querySelector(".bubble");
    if (bubble && bubble.nextSibling) wrap.insertBefore(row, bubble.nextSibling);
    else wrap.appendChild(row);
  }

  async function play(wrap, text, button) {
    const session = chat.session();
    if (!session || button.getAttribute("aria-busy") === "true") return;
    const existing = wrap.querySelector("audio");
    if (existing) {
      void existing.play().catch(() => undefined);
      existing.focus();
      return;
    }
    button.setAttribute("aria-busy", "true");
    button.textContent = texts().loading;
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(new URL(`${chat.sessionPath(session.id)}/speech`, document.baseURI).href, {
          method: "POST", cache: "no-store", signal: controller.signal,
          headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ text }),
        });
      } finally {
        clearTimeout(timer);
      }
      if (!response.ok) throw new Error(`speech answered ${response.status}`);
      const blob = await response.blob();
      const audio = el("audio", "listen-player");
      audio.controls = true;
      audio.preload = "auto";
      audio.setAttribute("aria-label", texts().player);
      audio.src = URL.createObjectURL(blob);
      button.parentNode.appendChild(audio);
      button.textContent = texts().listen;
      void audio.play().catch(() => undefined);
    } catch (error) {
      console.warn("DigiPalīgs: speech failed", error);
      button.textContent = texts().listen;
      chat.showNotice(texts().listenFailed);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  function decorate(wrap, reply) {
    if (!reply || reply.listen !== true || typeof reply.text !== "string") return;
    if (!ready) pending.push([wrap, reply]);
    else if (speak) addListen(wrap, reply);
  }

  // ---- 🎤 in the composer -----------------------------------------------------------------

  const canRecord = typeof MediaRecorder !== "undefined" && navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function";
  let mic = null;
  let status = null;
  const rec = { recorder: null, stream: null, chunks: [], started: 0, timer: 0, ticker: 0, cancelled: false, pressedAt: 0 };

  function label() {
    const recording = rec.recorder !== null;
    mic.setAttribute("aria-pressed", String(recording));
    mic.setAttribute("aria-label", recording ? texts().stop : texts().record);
    mic.title = recording ? texts().stop : texts().record;
    mic.querySelector(".voice-icon").textContent = recording ? "⏹" : "🎤";
    mic.classList.toggle("is-recording", recording);
  }

  function say(text) {
    status.textContent = text;
  }

  async function start() {
    if (rec.recorder || chat.busy()) return;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      console.warn("DigiPalīgs: no microphone", error);
      chat.showNotice(texts().micDenied);
      return;
    }
    const type = TYPES.find((t) => typeof MediaRecorder.isTypeSupported !== "function" || MediaRecorder.isTypeSupported(t));
    const recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    rec.recorder = recorder;
    rec.stream = stream;
    rec.chunks = [];
    rec.cancelled = false;
    rec.started = Date.now();
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size > 0) rec.chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => finish(recorder));
    recorder.start(1000);
    const tick = () => say(texts().recording(clock(Math.floor((Date.now() - rec.started) / 1000))));
    tick();
    rec.ticker = setInterval(tick, 1000);
    rec.timer = setTimeout(() => stop(false), MAX_SECONDS * 1000);
    label();
  }

  function stop(cancel) {
    if (!rec.recorder) return;
    rec.cancelled = cancel;
    clearTimeout(rec.timer);
    clearInterval(rec.ticker);
    if (rec.recorder.state !== "inactive") rec.recorder.stop();
  }

  function finish(recorder) {
    const type = (recorder.mimeType || "audio/webm").split(";")[0];
    const blob = new Blob(rec.chunks, { type });
    for (const track of rec.stream ? rec.stream.getTracks() : []) track.stop();
    const cancelled = rec.cancelled;
    rec.recorder = null;
    rec.stream = null;
    rec.chunks = [];
    label();
    if (cancelled || blob.size === 0) {
      say(texts().cancelled);
      return;
    }
    say("");
    chat.send({ label: texts().voiceMessage, post: (session, messageId) => upload(session, messageId, blob) });
  }

  /** Sends the recording; answers like a message, or throws an {@link ApiError} the page explains. */
  async function upload(session, messageId, blob) {
    const url = new URL(`${chat.sessionPath(session.id)}/voice`, document.baseURI);
    url.searchParams.set("messageId", messageId);
    return requestJson(url.href, {
      method: "POST",
      raw: blob.type ? blob : new Blob([blob], { type: "audio/webm" }),
      headers: { Authorization: `Bearer ${session.token}` },
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }

  function addMic() {
    const row = chat.form.querySelector(".input-row");
    if (!row) return;
    mic = el("button", "send-button voice-button");
    mic.type = "button";
    mic.appendChild(el("span", "voice-icon", "🎤"));
    mic.querySelector(".voice-icon").setAttribute("aria-hidden", "true");
    status = el("p", "voice-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    row.insertBefore(mic, row.lastElementChild);
    chat.form.appendChild(status);
    label();
    // Tap toggles; a long press records while held and sends when let go (like a walkie-talkie).
    let pointer = null;
    mic.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      pointer = { at: Date.now(), wasRecording: rec.recorder !== null, handled: false };
      if (!pointer.wasRecording) void start();
    });
    mic.addEventListener("pointerup", () => {
      if (!pointer) return;
      if (pointer.wasRecording || Date.now() - pointer.at > HOLD_MS) stop(false);
      pointer.handled = true;
    });
    mic.addEventListener("pointercancel", () => {
      pointer = null;
    });
    mic.addEventListener("click", () => {
      // The pointer did it already; a click alone comes from the keyboard (Enter, Space).
      const handled = pointer && pointer.handled;
      pointer = null;
      if (handled) return;
      if (rec.recorder) stop(false);
      else void start();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && rec.recorder) {
        event.preventDefault();
        stop(true);
        mic.focus();
      }
    });
  }

  /** The page's language changed: the buttons follow. */
  function relabel() {
    if (mic) label();
  }

  fetch(new URL("api/chat/voice", document.baseURI).href, { cache: "no-store" })
    .then((r) => (r.ok ? r.json() : { listen: false, speak: false }))
    .catch(() => ({ listen: false, speak: false }))
    .then((offer) => {
      ready = true;
      speak = offer.speak === true && typeof window.Audio !== "undefined";
      if (offer.listen === true && canRecord) addMic();
      for (const [wrap, reply] of pending.splice(0)) decorate(wrap, reply);
    });

  const link = el("link");
  link.rel = "stylesheet";
  link.href = new URL("static/voice.css", document.baseURI).href;
  document.head.appendChild(link);

  return { decorate, relabel };
}
