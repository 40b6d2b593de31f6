/* global window, setTimeout, requestAnimationFrame */
/**
 * The web chat's conversation log: the bot's and the resident's messages, their buttons, the
 * stored history, and bringing new messages into view. Texts are plain text, set only through
 * textContent (render-text.js builds the links).
 */
import { el, hiddenText } from "./dom.js";
import { renderText } from "./render-text.js";
import { ACTION_IDS } from "./chat-texts.js";

/**
 * The log over the page's elements. `texts()` gives the current language's texts, `voice()` the
 * speech controls or null.
 * @param {{ messagesEl: HTMLElement, scroller: HTMLElement, typingEl: HTMLElement, texts: () => Record<string, string>, voice: () => ({ decorate(wrap: HTMLElement, reply: object): void } | null) }} page
 */
export function createChatLog({ messagesEl, scroller, typingEl, texts, voice }) {
  const t = texts;
  const reducedMotion = () => typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ---------------------------------------------------------------------------------------------
  // Messages

  function validButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons.filter((b) => b && typeof b.id === "string" && typeof b.label === "string");
  }

  /** A member of staff's name and centre, or null for the bot's own messages. */
  function staffAuthor(reply) {
    const from = reply && reply.from;
    if (!from || typeof from !== "object" || typeof from.name !== "string" || !from.name) return null;
    return { name: from.name, centre: typeof from.centre === "string" ? from.centre : "" };
  }

  /**
   * Only the newest message's buttons look active: older groups become quieter (they still work)
   * and are announced as an earlier message's buttons.
   */
  function quietOlderChoices() {
    for (const group of messagesEl.querySelectorAll(".choices:not(.choices-older)")) {
      group.classList.add("choices-older");
      group.setAttribute("aria-label", t().olderChoices);
    }
  }

  function addBotMessage(reply) {
    const author = staffAuthor(reply);
    const wrap = el("div", author ? "msg msg-bot msg-staff" : "msg msg-bot");
    if (author) {
      // Another bubble with a badge: a person wrote this, not the bot.
      const badge = el("p", "staff-badge");
      badge.appendChild(el("span", "staff-name", `👤 ${author.name}`));
      if (author.centre) badge.appendChild(el("span", "staff-centre", author.centre));
      wrap.appendChild(hiddenText(`${t().staff}: `));
      wrap.appendChild(badge);
    } else {
      wrap.appendChild(hiddenText("DigiPalīgs: "));
    }
    const bubble = el("div", "bubble");
    renderText(bubble, typeof reply.text === "string" ? reply.text : "", t().newTab);
    wrap.appendChild(bubble);
    // "Runāt ar cilvēku" is always in the quick actions below the chat: not a second time here.
    const buttons = validButtons(reply.buttons).filter((b) => b.id !== ACTION_IDS.person);
    if (buttons.length) {
      quietOlderChoices();
      const group = el("div", "choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", t().choices);
      let row = null;
      for (const b of buttons) {
        const button = el("button", "choice", b.label);
        button.type = "button";
        button.setAttribute("data-id", b.id);
        if (b.inline === true) {
          // Short answers (👍 / 👎, languages) share one row.
          if (!row) {
            row = el("div", "choice-row");
            group.appendChild(row);
          }
          row.appendChild(button);
        } else {
          row = null;
          group.appendChild(button);
        }
      }
      wrap.appendChild(group);
    }
    messagesEl.appendChild(wrap);
    const speech = voice();
    if (speech) speech.decorate(wrap, reply);
    return wrap;
  }

  function addUserMessage(text) {
    const wrap = el("div", "msg msg-user");
    wrap.appendChild(hiddenText(`${t().you}: `));
    const bubble = el("div", "bubble");
    bubble.textContent = text;
    wrap.appendChild(bubble);
    messagesEl.appendChild(wrap);
    return wrap;
  }

  function setFailed(wrap, failed) {
    wrap.classList.toggle("msg-failed", failed);
    const old = wrap.querySelector(".msg-status");
    if (old) old.remove();
    if (failed) wrap.appendChild(el("p", "msg-status", `⚠ ${t().notSent}`));
  }

  /**
   * Appends the bot's replies and brings them into view. `question` is the resident's message
   * they answer: it stays in view above the answer when there is room.
   */
  function renderReplies(replies, question) {
    if (!Array.isArray(replies)) return;
    let first = null;
    for (const reply of replies) {
      if (!reply || typeof reply !== "object") continue;
      const node = addBotMessage(reply);
      if (!first) first = node;
    }
    if (first) reveal(first, question);
  }

  /**
   * How a resident's message from the stored history is shown, by its kind: a pressed button by
   * its label, the start of the conversation not at all (null).
   */
  function historyText(message) {
    switch (message.kind) {
      case "command": return /^\/start(\s|$)/.test(message.text) ? null : message.text;
      case "contact": return "📞";
      case "media": return `📎 ${message.text}`;
      default: return message.text;
    }
  }

  function renderHistory(messages) {
    // The history is not news: keep screen readers from reading all of it out again.
    messagesEl.setAttribute("aria-live", "off");
    messagesEl.textContent = "";
    for (const m of messages) {
      if (!m || typeof m.text !== "string") continue;
      if (m.direction === "in") {
        const text = historyText(m);
        if (text !== null) addUserMessage(text);
      } else {
        addBotMessage(m);
      }
    }
    scrollToEnd(false);
    setTimeout(() => messagesEl.setAttribute("aria-live", "polite"), 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Scrolling

  /** True when the page is in app layout (only the conversation scrolls). */
  function scrollerScrolls() {
    return window.getComputedStyle(scroller).overflowY === "auto";
  }

  function scrollToEnd(smooth) {
    const behavior = smooth && !reducedMotion() ? "smooth" : "auto";
    const target = !typingEl.hidden ? typingEl : messagesEl.lastElementChild;
    if (target) target.scrollIntoView({ block: "end", behavior });
  }

  /**
   * Brings new messages into view. When they are taller than the view, the start of the first
   * one is shown (so a long answer is read from its beginning), with the resident's question
   * above it when that is short; otherwise the end of the log.
   */
  function reveal(first, question) {
    requestAnimationFrame(() => {
      const behavior = reducedMotion() ? "auto" : "smooth";
      const last = messagesEl.lastElementChild;
      if (!last) return;
      const view = scrollerScrolls() ? scroller.clientHeight : window.innerHeight;
      const height = last.getBoundingClientRect().bottom - first.getBoundingClientRect().top;
      if (height <= view - 24) {
        last.scrollIntoView({ block: "end", behavior });
        return;
      }
      const above = question && question.isConnected ? first.getBoundingClientRect().top - question.getBoundingClientRect().top : Infinity;
      (above < view / 4 ? question : first).scrollIntoView({ block: "start", behavior });
    });
  }

  return { addBotMessage, addUserMessage, setFailed, renderReplies, renderHistory, scrollToEnd, reveal };
}
