/* global document */
/**
 * What the open ticket shows (pages/ticket.js draws it): the context packet — parish, centre,
 * language, channel, how to reach the resident, the guide and flow step where they got stuck —
 * and the conversation, first with the bot (the masked transcript), then the ticket's messages
 * with the staff's replies, internal notes and what happened.
 */
import { definitionRow, el, str } from "../lib/dom.js";
import { timeEl } from "../lib/format.js";
import { appUrl, centreName, session } from "../lib/session.js";
import { CONTACT_NAMES, channelName, langName, parishName } from "../lib/words.js";

function contextRow(dl, label, value, className) {
  if (value === null || value === undefined || value === "") return null;
  return definitionRow(dl, label, value, `context-row${className ? ` ${className}` : ""}`);
}

export function phoneLink(phone) {
  const digits = str(phone).replace(/[^\d+]/g, "");
  if (!digits) return str(phone);
  const a = el("a", "phone", phone);
  a.href = `tel:${digits}`;
  return a;
}

export function renderContext(dl, t) {
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
  // Titles (stored with newer tickets) rather than ids; «the step's text» where the resident stopped.
  const titles = ctx.titles && typeof ctx.titles === "object" ? ctx.titles : {};
  contextRow(dl, "Pamācība, ko bots rādīja", str(titles.guide) || str(ctx.guide));
  const stepText = str(titles.step);
  const where = [str(titles.flow) || str(ctx.flow), stepText ? `«${stepText}»` : str(ctx.step)].filter(Boolean).join(" → ");
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

/** A link to a photo or document the resident sent (opened in a new tab, same session). */
function withAttachment(li, attachment) {
  if (!attachment || typeof attachment.url !== "string" || !attachment.url.startsWith("/api/staff/")) return li;
  if (attachment.kind === "voice" || attachment.kind === "audio") {
    // A voice message: a player that fetches the recording only when played (access-checked).
    const audio = el("audio", "msg-audio");
    audio.controls = true;
    audio.preload = "none";
    audio.src = appUrl(attachment.url.slice(1));
    audio.setAttribute("aria-label", "Iedzīvotāja balss ziņa");
    li.appendChild(audio);
    return li;
  }
  const link = el("a", "msg-attachment", attachment.kind === "photo" ? "📷 Atvērt attēlu" : "📎 Atvērt pielikumu");
  link.href = appUrl(attachment.url.slice(1));
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  li.appendChild(link);
  return li;
}

/** What the resident media kinds are called. */
const MEDIA_NAMES = { photo: "attēlu", document: "dokumentu", voice: "balss ziņu", audio: "audio ierakstu", video: "video", sticker: "uzlīmi", location: "atrašanās vietu" };

/** A transcript line from the resident, by its kind: pressed buttons and "/start" read as actions. */
function transcriptInItem(line) {
  const text = line.text;
  switch (line.kind) {
    case "command":
      if (/^\/start(\s|$)/.test(text)) return el("li", "msg-start", "Iedzīvotājs sāka sarunu ar DigiPalīgu");
      return conversationItem("resident", "Iedzīvotājs", text);
    case "button":
      return conversationItem("resident", "Iedzīvotājs", `Nospieda pogu: ${text}`);
    case "contact":
      return conversationItem("resident", "Iedzīvotājs", "📞 Norādīja tālruņa numuru");
    case "media":
      return conversationItem("resident", "Iedzīvotājs", `Nosūtīja ${MEDIA_NAMES[text] || "failu"}`);
    case "edited":
      return conversationItem("resident", "Iedzīvotājs (laboja ziņu)", text);
    default:
      return conversationItem("resident", "Iedzīvotājs", text);
  }
}

function messageItem(m) {
  const name = m.staff ? str(m.staff.displayName) : "";
  const me = m.staff && session.staff && m.staff.id === session.staff.id;
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

export function renderConversation(list, t) {
  list.textContent = "";
  const transcript = Array.isArray(t.transcript) ? t.transcript : [];
  if (transcript.length) {
    list.appendChild(el("li", "divider", "Saruna ar DigiPalīgu pirms pieteikuma"));
    for (const line of transcript) {
      if (!line || typeof line.text !== "string") continue;
      list.appendChild(line.direction === "in" ? transcriptInItem(line)
        : line.kind === "staff" ? conversationItem("staff", "Darbinieks → iedzīvotājam", line.text)
          : conversationItem("bot", "DigiPalīgs (bots)", line.text));
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

