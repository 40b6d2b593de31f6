/**
 * The narrow interface of the ticket desk that staff-side adapters (HTTP console, Slack) use.
 * The PostgreSQL implementation is `TicketService` in `tickets.ts`; tests use fakes. Refusals
 * are a `DeskError` (`core/errors.ts`) with a code.
 * @module
 */
import type { StaffMember, TicketDetail, TicketEvent, TicketSummary } from "./types.js";

/**
 * Which tickets to list. Without `status`, the open ones (waiting and assigned) — or, with a
 * `search`, every status. `search` is a ticket number ("JN-000123", "123") or words that must all
 * occur in the question (case and Latvian diacritics ignored).
 */
export interface TicketFilter {
  readonly status?: TicketSummary["status"];
  readonly centre?: string;
  readonly mine?: boolean;
  readonly search?: string;
}

/** What staff can do with tickets. Every method checks that `staff` may see the ticket's centre. */
export interface Desk {
  /** The tickets of the staff member's centres (admins: all) that match `filter`. */
  list(staff: StaffMember, filter: TicketFilter): Promise<TicketSummary[]>;
  get(staff: StaffMember, ticketId: number): Promise<TicketDetail>;
  /** Exactly one concurrent claim wins; the others get `already_claimed`. */
  claim(staff: StaffMember, ticketId: number): Promise<TicketDetail>;
  /** Sends text to the resident (claims a waiting ticket first). */
  reply(staff: StaffMember, ticketId: number, text: string): Promise<TicketDetail>;
  /** An internal note, never shown to the resident. */
  note(staff: StaffMember, ticketId: number, text: string): Promise<TicketDetail>;
  transfer(staff: StaffMember, ticketId: number, centre: string): Promise<TicketDetail>;
  close(staff: StaffMember, ticketId: number, reason: string): Promise<TicketDetail>;
  /** Live events of tickets (all centres; adapters filter). Returns an unsubscribe function. */
  subscribe(listener: (event: TicketEvent) => void): () => void;
}
