/**
 * Tickets in PostgreSQL: the {@link Desk} for staff (claim, reply, note, transfer, close, with
 * centre access checks and an audit log) and the resident side (open a ticket, add messages,
 * rate). Every change that must reach someone — the resident, Slack — is written to the outbox in
 * the same transaction, and live events are published on commit.
 * @module
 */
import type pg from "pg";
import { describeEscalation } from "../core/messages.js";
import { maskDeep, maskPersonalData } from "../core/privacy.js";
import type { Lang, TranscriptKind } from "../core/types.js";
import type { Centres } from "../knowledge/centres.js";
import { withTransaction } from "../store/transaction.js";
import { enqueueOutbox, type OutboxPayload } from "../store/outbox.js";
import type { Notifier } from "../store/notifier.js";
import { DeskError } from "../core/errors.js";
import { fold } from "../nlp/normalize.js";
import { stemWord } from "../nlp/stem.js";
import { STOPWORDS } from "../nlp/stopwords.js";
import type { Desk, TicketFilter } from "./desk.js";
import type { ContactMode, StaffMember, TicketContext, TicketDetail, TicketEvent, TicketMessage, TicketStatus, TicketSummary } from "./types.js";

/** A file attached to a resident's message: which channel holds it and its id there. */
export interface Attachment {
  readonly kind: string;
  readonly channel: string;
  readonly id: string;
  readonly name?: string;
}

/** The topic of ticket events on the notifier. */
export const TICKET_TOPIC = "tickets";

/** Outbox kinds written by tickets. */
export type TicketOutboxKind = "resident.staff-reply" | "resident.closed" | "slack.announce" | "slack.thread" | "slack.claimed" | "slack.closed";

type Db = Pick<pg.Pool, "query">;

interface TicketRow {
  id: string; resident_id: string | null; channel: string; centre_id: string; parish: string | null; lang: Lang;
  status: TicketStatus; assignee_id: string | null; assignee_name: string | null; contact: ContactMode; phone: string | null;
  question: string; context: TicketContext; created_at: Date; claimed_at: Date | null; first_response_at: Date | null;
  closed_at: Date | null; close_reason: string | null; rating: number | null; rating_comment: string | null;
}

const SELECT = `SELECT t.*, s.display_name AS assignee_name FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id`;

/** At most this many tickets in one list (the open queue). */
const OPEN_LIST_LIMIT = 500;
/** At most this many closed tickets or search results, newest first (older ones: search). */
export const CLOSED_LIST_LIMIT = 100;

/** Latvian letters with diacritics (and Russian ё), and what they fold to (as `nlp/normalize` folds). */
const FOLD_FROM = "āčēģīķļņšūžōё";
const FOLD_TO = "acegiklnsuzoе";
/** SQL: a column folded for search (lower case, Latvian diacritics and ё folded). */
const foldedSql = (column: string): string => `translate(lower(${column}), '${FOLD_FROM}', '${FOLD_TO}')`;

/**
 * A search as a ticket number ("JN-000123", "jn 123", "#123", "123") and as words: folded,
 * stopwords left out (unless there is nothing else), longer words cut to their stem so that
 * "rēķins" finds "e-rēķinu" and "счёт" finds "счета".
 */
export function parseTicketSearch(search: string): { number?: number; words: string[] } {
  const clean = search.trim();
  const numbered = /^(jn[\s-]*|#)?0*(\d{1,12})$/i.exec(clean);
  const number = numbered ? Number(numbered[2]) : undefined;
  const validNumber = number !== undefined && Number.isSafeInteger(number) && number > 0 ? number : undefined;
  // "JN-000123" is only a number; "2026" may also be a word of a question.
  const all = numbered?.[1] ? [] : fold(clean).split(/\s+/u)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((w) => w.length > 0);
  const informative = all.filter((w) => !STOPWORDS.lv.has(w) && !STOPWORDS.ru.has(w) && !STOPWORDS.en.has(w));
  const words = (informative.length > 0 ? informative : all).slice(0, 8).map((w) => {
    if (w.length < 4 || /\d/.test(w)) return w;
    const stem = stemWord(w, "lv");
    return stem.length >= 3 && w.startsWith(stem) ? stem : w;
  });
  return { ...(validNumber !== undefined ? { number: validNumber } : {}), words: [...new Set(words)] };
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The ticket number residents and staff see. */
export const ticketNumber = (id: number): string => `JN-${String(id).padStart(6, "0")}`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toSummary(r: TicketRow): TicketSummary {
  return {
    id: Number(r.id), number: ticketNumber(Number(r.id)), status: r.status, centre: r.centre_id, parish: r.parish, lang: r.lang,
    channel: r.channel, contact: r.contact, question: r.question,
    assignee: r.assignee_id ? { id: Number(r.assignee_id), displayName: r.assignee_name ?? "" } : null,
    createdAt: r.created_at.toISOString(), claimedAt: iso(r.claimed_at), closedAt: iso(r.closed_at),
  };
}

/** What a resident's escalation brings. */
export interface NewTicket {
  readonly residentId: number;
  readonly channel: string;
  readonly lang: Lang;
  readonly parish?: string;
  readonly contact: ContactMode;
  readonly phone?: string;
  readonly question: string;
  readonly context: TicketContext;
}

/** Tickets for residents and staff. */
export class TicketService implements Desk {
  constructor(
    private readonly pool: pg.Pool,
    private readonly notifier: Notifier,
    private readonly centres: () => Centres | undefined,
    private readonly slack: () => boolean = () => false,
  ) {}

  // ---- helpers ---------------------------------------------------------------------------

  #tx<T>(fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }

  async #row(db: Db, id: number, lock = false): Promise<TicketRow | undefined> {
    const { rows } = await db.query<TicketRow>(`${SELECT} WHERE t.id = $1${lock ? " FOR UPDATE OF t" : ""}`, [id]);
    return rows[0];
  }

  /** A ticket that exists (just written or read under its lock); none is `not_found`. */
  async #existing(db: Db, id: number): Promise<TicketRow> {
    const row = await this.#row(db, id);
    if (!row) throw new DeskError("not_found", `ticket ${id} does not exist`);
    return row;
  }

  #mayAccess(staff: StaffMember, centre: string): boolean {
    return staff.role === "admin" || staff.centres.includes(centre);
  }

  async #accessible(db: Db, staff: StaffMember, id: number, lock = false): Promise<TicketRow> {
    const row = await this.#row(db, id, lock);
    if (!row) throw new DeskError("not_found", `ticket ${id} does not exist`);
    if (!this.#mayAccess(staff, row.centre_id)) throw new DeskError("forbidden", "this ticket belongs to another centre");
    return row;
  }

  async #event(db: Db, type: TicketEvent["type"], row: Pick<TicketRow, "id" | "centre_id">): Promise<void> {
    const event: TicketEvent = { type, ticketId: Number(row.id), centre: row.centre_id, at: new Date().toISOString() };
    await this.notifier.publish(TICKET_TOPIC, event, db);
  }

  async #audit(db: Db, staff: StaffMember | undefined, ticketId: number, action: string, detail: Record<string, unknown> = {}): Promise<void> {
    await db.query("INSERT INTO audit_log (staff_id, ticket_id, action, detail) VALUES ($1, $2, $3, $4::jsonb)", [staff?.id ?? null, ticketId, action, JSON.stringify(detail)]);
  }

  async #message(db: Db, ticketId: number, author: TicketMessage["author"], text: string, staffId?: number, attachment?: Attachment): Promise<void> {
    await db.query("INSERT INTO ticket_messages (ticket_id, author, staff_id, text, attachment) VALUES ($1, $2, $3, $4, $5::jsonb)",
      [ticketId, author, staffId ?? null, maskPersonalData(text), attachment ? JSON.stringify(attachment) : null]);
  }

  /** Where to fetch a message's attachment, after the access check. */
  async attachment(staff: StaffMember, ticketId: number, messageId: number): Promise<Attachment> {
    await this.#accessible(this.pool, staff, ticketId);
    const { rows } = await this.pool.query<{ attachment: Attachment | null }>("SELECT attachment FROM ticket_messages WHERE id = $1 AND ticket_id = $2", [messageId, ticketId]);
    const found = rows[0]?.attachment;
    if (!found) throw new DeskError("not_found", "this message has no attachment");
    await this.#audit(this.pool, staff, ticketId, "viewed-attachment", { message: messageId });
    return found;
  }

  /** Queues work for the outbox worker in the caller's transaction. */
  async #outbox<K extends TicketOutboxKind>(db: Db, kind: K, payload: OutboxPayload<K>): Promise<void> {
    if (kind.startsWith("slack.") && !this.slack()) return;
    await enqueueOutbox(db, kind, payload);
  }

  /** The centre serving a parish; the central centre when unknown. */
  centreFor(parish: string | undefined): string {
    const centres = this.centres();
    const byParish = parish ? centres?.centres.find((c) => c.parishes.includes(parish)) : undefined;
    return byParish?.id ?? centres?.centres.find((c) => c.parishes.length === 0)?.id ?? centres?.centres[0]?.id ?? "jelgava";
  }

  // ---- resident side ---------------------------------------------------------------------

  /** Opens a ticket for a resident's escalation and announces it. */
  async open(input: NewTicket): Promise<TicketSummary> {
    return this.#tx(async (db) => {
      const centre = this.centreFor(input.parish);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO tickets (resident_id, channel, centre_id, parish, lang, contact, phone, question, context)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) RETURNING id`,
        [input.residentId, input.channel, centre, input.parish ?? null, input.lang, input.contact, input.phone ?? null,
          maskPersonalData(input.question), JSON.stringify(maskDeep(input.context))],
      );
      const id = Number(rows[0]?.id);
      await this.#message(db, id, "resident", input.question);
      const row = await this.#existing(db, id);
      await this.#outbox(db, "slack.announce", { ticketId: id });
      await this.#event(db, "created", row);
      return toSummary(row);
    });
  }

  /** The resident's open ticket, if any. */
  async openTicketOf(residentId: number): Promise<TicketSummary | undefined> {
    const { rows } = await this.pool.query<TicketRow>(`${SELECT} WHERE t.resident_id = $1 AND t.status <> 'closed' ORDER BY t.id DESC LIMIT 1`, [residentId]);
    return rows[0] ? toSummary(rows[0]) : undefined;
  }

  /** The resident of a ticket (undefined once they asked to be forgotten). */
  async residentOf(ticketId: number): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ resident_id: string | null }>("SELECT resident_id FROM tickets WHERE id = $1", [ticketId]);
    return rows[0]?.resident_id ? Number(rows[0].resident_id) : undefined;
  }

  /** A ticket by id, for the resident side (no access check). */
  async summary(ticketId: number): Promise<TicketSummary | undefined> {
    const row = await this.#row(this.pool, ticketId);
    return row ? toSummary(row) : undefined;
  }

  /** Adds what the resident wrote to their open ticket. */
  async residentMessage(ticketId: number, text: string, attachment?: Attachment): Promise<void> {
    await this.#tx(async (db) => {
      const row = await this.#row(db, ticketId, true);
      if (!row || row.status === "closed") throw new DeskError("closed", "the ticket is closed");
      await this.#message(db, ticketId, "resident", text, undefined, attachment);
      await this.#outbox(db, "slack.thread", { ticketId, text: maskPersonalData(text), author: "resident" });
      await this.#event(db, "message", row);
    });
  }

  /** A message to the resident was refused for good (blocked bot, chat gone): staff see it on the ticket. */
  async deliveryFailed(ticketId: number, reason: string): Promise<void> {
    await this.#tx(async (db) => {
      const row = await this.#row(db, ticketId);
      if (!row) return;
      await this.#message(db, ticketId, "system", `Iedzīvotājam ziņu nosūtīt neizdevās (${reason}). Sazinieties citādi, ja tas ir iespējams.`);
      await this.#event(db, "message", row);
    });
  }

  /** The resident ends the conversation. */
  async endByResident(ticketId: number): Promise<void> {
    await this.#tx(async (db) => {
      const row = await this.#row(db, ticketId, true);
      if (!row || row.status === "closed") return;
      await db.query("UPDATE tickets SET status = 'closed', closed_at = now(), close_reason = $2 WHERE id = $1", [ticketId, "ended by the resident"]);
      await this.#message(db, ticketId, "system", "Iedzīvotājs beidza sarunu.");
      await this.#outbox(db, "slack.closed", { ticketId, reason: "ended by the resident" });
      await this.#event(db, "closed", row);
    });
  }

  /** Stores the resident's 1–5 rating (and optional comment) of a closed ticket. */
  async rate(ticketId: number, rating: number, comment?: string): Promise<void> {
    const { rows } = await this.pool.query<{ centre_id: string; id: string }>(
      `UPDATE tickets SET rating = COALESCE($2, rating), rating_comment = COALESCE($3, rating_comment) WHERE id = $1 RETURNING id, centre_id`,
      [ticketId, Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null, comment ? maskPersonalData(comment).slice(0, 1000) : null]);
    if (rows[0]) await this.#event(this.pool, "rated", rows[0]);
  }

  // ---- the desk (staff side) -------------------------------------------------------------

  async list(staff: StaffMember, filter: TicketFilter): Promise<TicketSummary[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const search = filter.search?.trim() ? parseTicketSearch(filter.search) : undefined;
    if (filter.status) {
      values.push(filter.status);
      where.push(`t.status = $${values.length}`);
    } else if (!search) {
      where.push("t.status <> 'closed'");
    }
    if (filter.centre) {
      if (!this.#mayAccess(staff, filter.centre)) throw new DeskError("forbidden", "this centre is not yours");
      values.push(filter.centre);
      where.push(`t.centre_id = $${values.length}`);
    } else if (staff.role !== "admin") {
      values.push([...staff.centres]);
      where.push(`t.centre_id = ANY($${values.length})`);
    }
    if (filter.mine) {
      values.push(staff.id);
      where.push(`t.assignee_id = $${values.length}`);
    }
    if (search) {
      const either: string[] = [];
      if (search.number !== undefined) {
        values.push(search.number);
        either.push(`t.id = $${values.length}`);
      }
      if (search.words.length > 0) {
        either.push(`(${search.words.map((w) => {
          values.push(`%${likeEscape(w)}%`);
          return `${foldedSql("t.question")} LIKE $${values.length} ESCAPE '\\'`;
        }).join(" AND ")})`);
      }
      where.push(either.length > 0 ? `(${either.join(" OR ")})` : "false");
    }
    const closedOrSearch = filter.status === "closed" || search !== undefined;
    const order = filter.status === "waiting" && !search ? "t.id ASC"
      : filter.status === "closed" ? "t.closed_at DESC NULLS LAST, t.id DESC" : "t.id DESC";
    const limit = closedOrSearch ? CLOSED_LIST_LIMIT : OPEN_LIST_LIMIT;
    const { rows } = await this.pool.query<TicketRow>(`${SELECT} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${limit}`, values);
    return rows.map(toSummary);
  }

  async get(staff: StaffMember, ticketId: number): Promise<TicketDetail> {
    const row = await this.#accessible(this.pool, staff, ticketId);
    await this.#audit(this.pool, staff, ticketId, "viewed");
    return this.#detail(row);
  }

  async #detail(row: TicketRow): Promise<TicketDetail> {
    const id = Number(row.id);
    const { rows: messages } = await this.pool.query<{ id: string; author: TicketMessage["author"]; staff_id: string | null; display_name: string | null; text: string; created_at: Date; attachment: Attachment | null }>(
      `SELECT m.id, m.author, m.staff_id, s.display_name, m.text, m.created_at, m.attachment FROM ticket_messages m LEFT JOIN staff s ON s.id = m.staff_id
       WHERE m.ticket_id = $1 ORDER BY m.id`, [id]);
    const { rows: transcript } = row.resident_id
      ? await this.pool.query<{ direction: "in" | "out"; kind: TranscriptKind; text: string }>(
          `SELECT direction, kind, text FROM (SELECT id, direction, kind, text FROM turns WHERE resident_id = $1 AND created_at <= $2 ORDER BY id DESC LIMIT 40) x ORDER BY id`,
          [row.resident_id, row.created_at])
      : { rows: [] };
    return {
      ...toSummary(row),
      phone: row.phone, context: row.context, reasonText: describeEscalation(row.context, "lv"), closeReason: row.close_reason, rating: row.rating, ratingComment: row.rating_comment,
      transcript,
      messages: messages.map((m) => ({
        id: Number(m.id), author: m.author, staff: m.staff_id ? { id: Number(m.staff_id), displayName: m.display_name ?? "" } : null,
        text: m.text, createdAt: m.created_at.toISOString(),
        ...(m.attachment ? { attachment: { kind: m.attachment.kind, url: `/api/staff/tickets/${id}/messages/${m.id}/attachment` } } : {}),
      })),
    };
  }

  async claim(staff: StaffMember, ticketId: number): Promise<TicketDetail> {
    const row = await this.#tx(async (db) => {
      const current = await this.#accessible(db, staff, ticketId, true);
      if (current.status === "closed") throw new DeskError("closed", "the ticket is closed");
      if (current.status === "assigned") {
        if (Number(current.assignee_id) === staff.id) return current;
        throw new DeskError("already_claimed", `${current.assignee_name ?? "someone"} has already claimed this ticket`);
      }
      await db.query("UPDATE tickets SET status = 'assigned', assignee_id = $2, claimed_at = now() WHERE id = $1", [ticketId, staff.id]);
      await this.#message(db, ticketId, "system", `${staff.displayName} pieņēma pieteikumu.`);
      await this.#audit(db, staff, ticketId, "claimed");
      await this.#outbox(db, "resident.staff-reply", { ticketId, kind: "joined", staff: staff.displayName });
      await this.#outbox(db, "slack.claimed", { ticketId });
      await this.#event(db, "claimed", current);
      return current;
    });
    return this.#detail(await this.#existing(this.pool, Number(row.id)));
  }

  async reply(staff: StaffMember, ticketId: number, text: string): Promise<TicketDetail> {
    const clean = text.trim();
    if (clean === "" || clean.length > 4000) throw new DeskError("bad_request", "the reply must have 1–4000 characters");
    const current = await this.#row(this.pool, ticketId);
    if (current?.status === "waiting") await this.claim(staff, ticketId);
    await this.#tx(async (db) => {
      const row = await this.#accessible(db, staff, ticketId, true);
      if (row.status === "closed") throw new DeskError("closed", "the ticket is closed");
      if (Number(row.assignee_id) !== staff.id) throw new DeskError("not_yours", "another member of staff holds this ticket");
      await this.#message(db, ticketId, "staff", clean, staff.id);
      await db.query("UPDATE tickets SET first_response_at = COALESCE(first_response_at, now()) WHERE id = $1", [ticketId]);
      await this.#audit(db, staff, ticketId, "replied");
      await this.#outbox(db, "resident.staff-reply", { ticketId, kind: "reply", staff: staff.displayName, text: maskPersonalData(clean) });
      await this.#event(db, "message", row);
    });
    return this.#detail(await this.#existing(this.pool, ticketId));
  }

  async note(staff: StaffMember, ticketId: number, text: string): Promise<TicketDetail> {
    const clean = text.trim();
    if (clean === "" || clean.length > 4000) throw new DeskError("bad_request", "the note must have 1–4000 characters");
    await this.#tx(async (db) => {
      const row = await this.#accessible(db, staff, ticketId, true);
      await this.#message(db, ticketId, "note", clean, staff.id);
      await this.#audit(db, staff, ticketId, "noted");
      await this.#event(db, "note", row);
    });
    return this.#detail(await this.#existing(this.pool, ticketId));
  }

  async transfer(staff: StaffMember, ticketId: number, centre: string): Promise<TicketDetail> {
    if (!this.centres()?.centres.some((c) => c.id === centre)) throw new DeskError("unknown_centre", `there is no centre '${centre}'`);
    await this.#tx(async (db) => {
      const row = await this.#accessible(db, staff, ticketId, true);
      if (row.status === "closed") throw new DeskError("closed", "the ticket is closed");
      if (row.status === "assigned" && Number(row.assignee_id) !== staff.id && staff.role !== "admin") throw new DeskError("not_yours", "another member of staff holds this ticket");
      await db.query("UPDATE tickets SET centre_id = $2, status = 'waiting', assignee_id = NULL, claimed_at = NULL WHERE id = $1", [ticketId, centre]);
      await this.#message(db, ticketId, "system", `${staff.displayName} pārsūtīja pieteikumu centram ${centre}.`);
      await this.#audit(db, staff, ticketId, "transferred", { from: row.centre_id, to: centre });
      await this.#outbox(db, "slack.announce", { ticketId, transfer: true });
      await this.#event(db, "transferred", { id: row.id, centre_id: centre });
      await this.#event(db, "transferred", row);
    });
    return this.#detail(await this.#existing(this.pool, ticketId));
  }

  async close(staff: StaffMember, ticketId: number, reason: string): Promise<TicketDetail> {
    const why = maskPersonalData(reason.trim());
    if (why === "" || why.length > 500) throw new DeskError("bad_request", "say why the ticket is closed (1–500 characters)");
    await this.#tx(async (db) => {
      const row = await this.#accessible(db, staff, ticketId, true);
      if (row.status === "closed") throw new DeskError("closed", "the ticket is already closed");
      if (row.status === "assigned" && Number(row.assignee_id) !== staff.id && staff.role !== "admin") throw new DeskError("not_yours", "another member of staff holds this ticket");
      await db.query("UPDATE tickets SET status = 'closed', closed_at = now(), close_reason = $2 WHERE id = $1", [ticketId, why]);
      await this.#message(db, ticketId, "system", `${staff.displayName} aizvēra pieteikumu: ${why}`);
      await this.#audit(db, staff, ticketId, "closed", { reason: why });
      await this.#outbox(db, "resident.closed", { ticketId });
      await this.#outbox(db, "slack.closed", { ticketId, reason: why });
      await this.#event(db, "closed", row);
    });
    return this.#detail(await this.#existing(this.pool, ticketId));
  }

  subscribe(listener: (event: TicketEvent) => void): () => void {
    return this.notifier.subscribe(TICKET_TOPIC, (payload) => listener(payload as TicketEvent));
  }

  /** Deletes every ticket of a resident (for `/forget`). */
  async forgetResident(residentId: number): Promise<void> {
    await this.pool.query("DELETE FROM tickets WHERE resident_id = $1", [residentId]);
  }

  /** Deletes closed tickets older than `days` (retention); returns how many. */
  async purgeClosed(days: number): Promise<number> {
    const { rowCount } = await this.pool.query("DELETE FROM tickets WHERE status = 'closed' AND closed_at < now() - make_interval(days => $1)", [days]);
    return rowCount ?? 0;
  }
}
