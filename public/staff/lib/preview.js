/**
 * A resident's conversation drawn the way the web chat draws it (public/render-text.js): the
 * question on the right, the bot's replies with their buttons as chips. Used by "Izmēģināt
 * jautājumu" and by the editor's phone-sized preview.
 */
import { renderText } from "../../static/render-text.js";
import { el, str } from "./dom.js";

/** Draws `question` (optional) and `replies` into `box`. */
export function renderConversationPreview(box, question, replies) {
  box.textContent = "";
  if (question) {
    const asked = el("div", "pv-msg pv-user");
    asked.appendChild(el("span", "visually-hidden", "Iedzīvotājs: "));
    asked.appendChild(el("div", "pv-bubble", question));
    box.appendChild(asked);
  }
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
