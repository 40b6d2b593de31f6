/**
 * Escalation to client service staff: the shapes shared by the ticket service, the staff HTTP
 * API, the console and Slack.
 * @module
 */
import type { ContactMode } from "../core/turn.js";
import type { EscalationContext, Lang, TranscriptKind } from "../core/types.js";

export type { ContactMode };

/** Staff roles: agents answer tickets of their centres; editors edit content; admins manage. */
export type Role = "agent" | "editor" | "admin";

/** Ticket states. */
export type TicketStatus = "waiting" | "assigned" | "closed";

/** A member of staff as others see them. */
export interface StaffMember {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly centres: readonly string[];
}

/** What the bot knew when the resident asked for a person (see {@link EscalationContext}). */
export type TicketContext = EscalationContext;

/** A ticket as listed. */
export interface TicketSummary {
  readonly id: number;
  readonly number: string;
  readonly status: TicketStatus;
  readonly centre: string;
  readonly parish: string | null;
  readonly lang: Lang;
  readonly channel: string;
  readonly contact: ContactMode;
  readonly question: string;
  readonly assignee: { readonly id: number; readonly displayName: string } | null;
  readonly createdAt: string;
  readonly claimedAt: string | null;
  readonly closedAt: string | null;
}

/** One line of a ticket's conversation. */
export interface TicketMessage {
  readonly id: number;
  /** `resident`, `staff` (sent to the resident), `note` (internal), `bot` (what the bot said), `system`. */
  readonly author: "resident" | "staff" | "note" | "bot" | "system";
  readonly staff: { readonly id: number; readonly displayName: string } | null;
  readonly text: string;
  readonly createdAt: string;
  /** A photo or document the resident sent; `url` fetches it (staff API, same session). */
  readonly attachment?: { readonly kind: string; readonly url: string };
}

/** A ticket with everything a member of staff needs. */
export interface TicketDetail extends TicketSummary {
  readonly phone: string | null;
  readonly context: TicketContext;
  /** Why the ticket came to staff, in Latvian words (see `describeEscalation`). */
  readonly reasonText: string;
  readonly closeReason: string | null;
  readonly rating: number | null;
  readonly ratingComment: string | null;
  /** The masked bot conversation before the ticket, then the ticket's own messages. */
  readonly transcript: readonly { readonly direction: "in" | "out"; readonly kind: TranscriptKind; readonly text: string }[];
  readonly messages: readonly TicketMessage[];
}

/** A live event for consoles and Slack: a ticket changed. */
export interface TicketEvent {
  readonly type: "created" | "claimed" | "transferred" | "message" | "note" | "closed" | "rated";
  readonly ticketId: number;
  readonly centre: string;
  readonly at: string;
}
