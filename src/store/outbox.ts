/**
 * What outbox work looks like in the table: one payload shape per kind (checked when the work is
 * done, so a malformed row becomes a dead letter instead of a crash), the order key and the
 * resident a row is about. The worker that does the work is `service/outbox.ts`.
 * @module
 */
import type pg from "pg";
import { z } from "zod";
import { maskDeep } from "../core/privacy.js";
import { sanitizingReplacer } from "../core/sanitize.js";

const ReplySchema = z.object({
  text: z.string(),
  buttons: z.array(z.object({ id: z.string(), label: z.string(), inline: z.boolean().optional() })),
});

/** The payload of each kind of outbox work. */
export const OUTBOX_PAYLOADS = {
  /** A member of staff joined or replied: tell the resident. */
  "resident.staff-reply": z.object({ ticketId: z.number().int().positive(), kind: z.enum(["joined", "reply"]), staff: z.string(), text: z.string().optional() }),
  /** Staff closed the ticket: tell the resident and ask for a rating. */
  "resident.closed": z.object({ ticketId: z.number().int().positive() }),
  /** Replies of a turn that could not be sent in time (the channel was down): sent later, in order. */
  "resident.replies": z.object({ residentId: z.number().int().positive(), replies: z.array(ReplySchema), transcribed: z.boolean() }),
  "slack.announce": z.object({ ticketId: z.number().int().positive(), transfer: z.boolean().optional() }),
  "slack.thread": z.object({ ticketId: z.number().int().positive(), text: z.string(), author: z.enum(["resident", "system"]) }),
  "slack.claimed": z.object({ ticketId: z.number().int().positive() }),
  "slack.closed": z.object({ ticketId: z.number().int().positive(), reason: z.string() }),
} as const;

/** Kinds of outbox work. */
export type OutboxKind = keyof typeof OUTBOX_PAYLOADS;
/** The payload of a kind. */
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof OUTBOX_PAYLOADS)[K]>;

type Queryable = Pick<pg.Pool, "query">;

/**
 * Queues work in the caller's transaction. Rows about a ticket take the ticket's resident (so
 * `/forget` removes them) and the order key of the resident (messages to them) or of the
 * ticket's Slack thread.
 */
export async function enqueueOutbox<K extends OutboxKind>(db: Queryable, kind: K, payload: OutboxPayload<K>): Promise<void> {
  const json = JSON.stringify(maskDeep(payload), sanitizingReplacer);
  if ("residentId" in payload) {
    await db.query("INSERT INTO outbox (kind, payload, resident_id, order_key) VALUES ($1, $2::jsonb, $3, $4)",
      [kind, json, payload.residentId, `resident:${payload.residentId}`]);
    return;
  }
  const { rowCount } = await db.query(
    `INSERT INTO outbox (kind, payload, resident_id, order_key)
     SELECT $1, $2::jsonb, t.resident_id,
       CASE WHEN $1 LIKE 'slack.%' THEN 'slack:' || t.id ELSE 'resident:' || COALESCE(t.resident_id::text, 'ticket-' || t.id) END
     FROM tickets t WHERE t.id = $3`,
    [kind, json, payload.ticketId]);
  if (rowCount === 0) throw new RangeError(`outbox: there is no ticket ${payload.ticketId}`);
}

