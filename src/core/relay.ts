/**
 * After the intake: while a member of staff handles the resident's ticket, what the resident
 * writes goes to them (the relay); the resident may end the ticket or go back to it; a closed
 * ticket is rated 1–5 with an optional comment.
 * @module
 */
import { buttonIds, type ButtonPress } from "./button-ids.js";
import { MESSAGES } from "./messages.js";
import { maskPersonalData } from "./privacy.js";
import type { Core, Draft, OpenTicket } from "./turn.js";
import type { Button, Input, Lang, Reply } from "./types.js";

/** The rating question for a ticket (also sent by the service when staff close one). */
export function ratingQuestion(lang: Lang, ticketId: number): Reply {
  return {
    text: MESSAGES[lang].escalation.rate,
    buttons: ([1, 2, 3, 4, 5] as const).map((n) => ({ id: buttonIds.rate(ticketId, n), label: String(n), inline: true })),
  };
}

/** The "end the conversation with the specialist" button. */
export function endTicketButton(lang: Lang): Button {
  return { id: buttonIds.endTicket, label: MESSAGES[lang].escalation.end };
}

/** The open ticket, its relay and its rating. */
export class TicketRelay {
  constructor(private readonly core: Core) {}

  /** While a person handles the ticket, what the resident writes goes to them. */
  relay(d: Draft, ticket: OpenTicket, input: Extract<Input, { kind: "text" | "media" | "contact" }>): void {
    d.intent = "escalate";
    const text = input.kind === "text" ? `${input.spoken ? "🎤 " : ""}${input.text.slice(0, 4000)}`
      : input.kind === "media" ? `[${input.media}]`
        : `[📞 ${input.phone}]`;
    // A voice message goes to staff with its recording (a player in the console) and transcript.
    const file = input.kind === "media" ? input.file : input.kind === "text" ? input.spoken?.file : undefined;
    const kind = input.kind === "media" ? input.media : input.kind === "text" ? input.spoken?.media : undefined;
    d.relay = { ticketId: ticket.id, text: maskPersonalData(text), ...(file && kind ? { attachment: { ...file, kind } } : {}) };
  }

  /** "End" or "back to the specialist"; without an open ticket the button is stale. */
  ticketButton(d: Draft, action: "end" | "resume"): void {
    const t = MESSAGES[d.lang];
    const ticket = d.state.ticket;
    if (!ticket) {
      d.intent = "fallback";
      d.replies.push({ text: t.unknownButton, buttons: this.core.assistant.menuButtons(d.lang) });
      return;
    }
    d.intent = "escalate";
    if (action === "end") {
      d.endTicket = ticket.id;
      d.state = { ...d.state, ticket: undefined, ratingComment: undefined };
      d.replies.push({ text: t.escalation.ended(ticket.number), buttons: [] });
      d.replies.push(ratingQuestion(d.lang, ticket.id));
      return;
    }
    d.state = { ...d.state, ticket: { ...ticket, relay: true }, flow: undefined };
    d.replies.push({ text: t.escalation.keepWriting, buttons: [endTicketButton(d.lang)] });
  }

  /** A score, or skipping the comment. */
  rate(d: Draft, press: Extract<ButtonPress, { kind: "rate" }>): void {
    const t = MESSAGES[d.lang];
    d.intent = "escalate";
    if (press.score === "skip") {
      d.state = { ...d.state, ratingComment: undefined };
      d.replies.push({ text: t.menuIntro, buttons: this.core.assistant.menuButtons(d.lang) });
      return;
    }
    d.rating = { ticketId: press.ticketId, score: press.score };
    d.state = { ...d.state, ratingComment: press.ticketId };
    d.replies.push({ text: `${t.escalation.rateThanks}\n${t.escalation.rateComment}`, buttons: [{ id: buttonIds.rate(press.ticketId, "skip"), label: t.escalation.skip }] });
  }

  /** The optional comment after a rating. */
  comment(d: Draft, ticketId: number, text: string): void {
    const t = MESSAGES[d.lang];
    d.state = { ...d.state, ratingComment: undefined };
    d.intent = "escalate";
    const comment = maskPersonalData(text.trim()).slice(0, 1000);
    if (comment === "") {
      d.replies.push({ text: t.menuIntro, buttons: this.core.assistant.menuButtons(d.lang) });
      return;
    }
    d.rating = { ticketId, comment };
    d.replies.push({ text: t.escalation.commentThanks, buttons: [{ id: buttonIds.menu, label: t.mainMenu }, { id: buttonIds.person, label: t.talkToPerson }] });
  }
}
