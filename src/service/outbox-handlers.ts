/**
 * What each kind of outbox work does (see `service/outbox.ts` for how work is taken, ordered and
 * retried): the texts a resident gets when staff join, reply or close a ticket, replies of a turn
 * that waited for the channel, and the Slack side of a ticket. Payloads are typed per kind
 * ({@link OutboxPayload}); a refusal for good is reported on the ticket.
 * @module
 */
import type { SlackChannel, SlackThreads } from "../staff/slack/index.js";
import type { Conversation } from "../core/conversation.js";
import { MESSAGES } from "../core/messages.js";
import { endTicketButton } from "../core/relay.js";
import type { Reply } from "../core/types.js";
import type { TicketService } from "../staff/tickets.js";
import type { ConversationService } from "./conversations.js";
import type { FailedJob, OutboxHandlers } from "./outbox.js";

/** What the resident-side handlers need. */
export interface ResidentHandlerDeps {
  readonly tickets: TicketService;
  readonly service: ConversationService;
  /** The conversation currently serving (for the rating question). */
  readonly conversation: () => Conversation;
  /** True when no more replies wait in the outbox for the resident (besides the job in hand). */
  readonly drained: (residentId: number, jobId: number) => Promise<boolean>;
}

/** Messages to residents: a member of staff joined or replied, the ticket was closed, waiting replies. */
export function residentHandlers(deps: ResidentHandlerDeps): OutboxHandlers {
  const { tickets, service } = deps;
  /** The ticket and its resident, or nothing when the resident asked to be forgotten. */
  const target = async (ticketId: number) => {
    const ticket = await tickets.summary(ticketId);
    const residentId = ticket ? await tickets.residentOf(ticket.id) : undefined;
    return ticket && residentId !== undefined ? { ticket, residentId } : undefined;
  };
  return {
    "resident.staff-reply": async (payload, job) => {
      const found = await target(payload.ticketId);
      if (!found) return;
      const lang = found.ticket.lang;
      const t = MESSAGES[lang].escalation;
      // A member of staff's message carries its author (name and centre): channels show it apart from the bot's.
      const centre = deps.conversation().assistant.knowledge.centres?.centres.find((c) => c.id === found.ticket.centre)?.name[lang];
      const reply: Reply = payload.kind === "joined"
        ? { text: t.joined(payload.staff), buttons: [] }
        : { text: payload.text ?? "", buttons: [endTicketButton(lang)], from: { name: payload.staff, ...(centre ? { centre } : {}) } };
      await service.deliver(found.residentId, [reply], { job });
    },
    "resident.closed": async (payload, job) => {
      const found = await target(payload.ticketId);
      if (!found) return;
      const { ticket } = found;
      await service.deliver(found.residentId, [
        { text: MESSAGES[ticket.lang].escalation.closed(ticket.number), buttons: [] },
        deps.conversation().ratingQuestion(ticket.lang, ticket.id),
      ], { job });
    },
    "resident.replies": async (payload, job) => {
      await service.deliver(payload.residentId, payload.replies, { job, transcribed: payload.transcribed });
      if (await deps.drained(payload.residentId, job.id)) service.repliesDrained(payload.residentId);
    },
  };
}

/** The Slack side of tickets: announce (again after a transfer), thread messages, claimed, closed. */
export function slackHandlers(deps: { readonly tickets: TicketService; readonly slack: SlackChannel; readonly threads: SlackThreads & { forget(ticketId: number): Promise<void> } }): OutboxHandlers {
  const { tickets, slack, threads } = deps;
  return {
    "slack.announce": async (payload) => {
      const ticket = await tickets.summary(payload.ticketId);
      if (!ticket) return;
      if (payload.transfer === true) {
        await slack.markClosed(ticket, "pārsūtīts citam centram");
        await threads.forget(ticket.id);
      }
      await slack.announce(ticket);
    },
    "slack.thread": async (payload) => slack.postToThread(payload.ticketId, payload.text, payload.author),
    "slack.claimed": async (payload) => {
      const ticket = await tickets.summary(payload.ticketId);
      if (ticket) await slack.markClaimed(ticket);
    },
    "slack.closed": async (payload) => {
      const ticket = await tickets.summary(payload.ticketId);
      if (ticket) await slack.markClosed(ticket, payload.reason);
    },
  };
}

/**
 * A message to a resident was refused for good (they blocked the bot, the chat is gone): staff
 * see it on the ticket. Slack work that fails for good is only logged by the worker.
 */
export function reportFailedDelivery(tickets: TicketService): (job: FailedJob) => Promise<void> {
  return async (job) => {
    if (!job.kind.startsWith("resident.")) return;
    const ticketId = (job.payload as { ticketId?: unknown }).ticketId;
    if (typeof ticketId === "number") {
      await tickets.deliveryFailed(ticketId, job.error);
      return;
    }
    if (job.residentId !== null) {
      const open = await tickets.openTicketOf(job.residentId);
      if (open) await tickets.deliveryFailed(open.id, job.error);
    }
  };
}
