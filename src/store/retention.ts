/**
 * What is kept about residents, and for how long.
 *
 * - `/forget` deletes the resident's row; every table that holds anything about a resident
 *   references `residents` (or `tickets`, which does) with `ON DELETE CASCADE`, so one statement
 *   removes it all. Counted events keep their row without the resident (`ON DELETE SET NULL`):
 *   they hold no text. Tables that hold nothing about residents are declared in
 *   {@link TABLES_WITHOUT_RESIDENT_DATA}; a test checks every table of the schema against these
 *   rules, so a new table cannot be forgotten.
 * - The daily retention job deletes, after the retention period: transcript lines, closed
 *   tickets (with their messages and audit entries), delivered web chat messages, finished and
 *   failed outbox work, and residents who have been inactive that long (with their sessions and
 *   web sessions); web chat sessions that never got a message after a day; and short-lived
 *   records (expired staff sessions, old login failures, processed update ids after a week, web
 *   chat voice messages a week after their ticket closed); items of the to-do list of missing
 *   guides that were marked done (their example questions are residents' wordings).
 *
 * **Adding a table?** Give it `resident_id BIGINT REFERENCES residents (id) ON DELETE CASCADE`
 * (or a cascading reference to a table that has one, like `ticket_id … REFERENCES tickets (id)
 * ON DELETE CASCADE`), or — when it holds nothing about residents — add it to
 * {@link TABLES_WITHOUT_RESIDENT_DATA} with the reason.
 * @module
 */
import type pg from "pg";
import { onlyRow } from "./rows.js";
import { beforeRetention, refreshReportAggregates } from "../staff/reports/aggregates.js";

/** Tables that hold nothing about a resident, and why (checked against the schema by a test). */
export const TABLES_WITHOUT_RESIDENT_DATA: Readonly<Record<string, string>> = {
  schema_migrations: "which migrations ran",
  staff: "staff accounts",
  staff_sessions: "staff console sessions",
  login_failures: "failed staff logins (username and address of the attempt)",
  content_revisions: "published guides, centres, holidays and flows (editorial content)",
  content_repository: "which repository version of each content file was imported",
  content_drafts: "editors' unpublished drafts",
  content_unanswered: "wordings an editor taught to a guide or marked out of scope (from the masked unanswered report)",
  content_missing_guides: "the to-do list of missing guides: wordings from the unanswered report, masked again when stored (done items go after the retention period)",
  report_day_counts: "the indicators' sums per day (no residents; triggers keep them equal to the resident rows, so they follow /forget)",
  report_conversation_counts: "the indicators' conversation sums per day (no residents; kept equal to the resident rows by triggers)",
  report_state: "the oldest instant the retention job kept (for the indicators' aggregates)",
};

/** Tables whose reference to a resident is cleared, not deleted, on `/forget` (no text in them). */
export const ANONYMISED_ON_FORGET: Readonly<Record<string, string>> = {
  events: "counted events for the indicators (kind, flow, step, guide, language)",
};

/** How many rows each part of the job deleted. */
export interface RetentionResult {
  readonly turns: number;
  readonly tickets: number;
  readonly webEvents: number;
  readonly outbox: number;
  /** Residents inactive for the whole period, and web chats that never got a message. */
  readonly residents: number;
  readonly other: number;
}

/** Deletes data older than `days` days (and short-lived records). */
export async function purgeOldData(pool: pg.Pool, days: number): Promise<RetentionResult> {
  const count = async (sql: string, values: unknown[] = [days]): Promise<number> => (await pool.query(sql, values)).rowCount ?? 0;
  // The indicators' aggregates leave with the turns (src/staff/reports/aggregates.ts).
  const cutoff = onlyRow((await pool.query<{ at: Date }>("SELECT now() - make_interval(days => $1) AS at", [days])).rows, "SELECT now()").at;
  await beforeRetention(pool, cutoff);
  const turns = await count("DELETE FROM turns WHERE created_at < now() - make_interval(days => $1)");
  const tickets = await count("DELETE FROM tickets WHERE status = 'closed' AND closed_at < now() - make_interval(days => $1)");
  const webEvents = await count("DELETE FROM web_events WHERE created_at < now() - make_interval(days => $1)");
  const outbox = await count("DELETE FROM outbox WHERE (done_at < now() - make_interval(days => $1)) OR (failed_at < now() - make_interval(days => $1))");
  // Inactive residents: nothing from or to them, no session change and no ticket for the whole period.
  const residents = await count(
    `DELETE FROM residents r
     WHERE r.created_at < now() - make_interval(days => $1) AND r.updated_at < now() - make_interval(days => $1)
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.resident_id = r.id AND s.updated_at >= now() - make_interval(days => $1))
       AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.resident_id = r.id AND t.created_at >= now() - make_interval(days => $1))
       AND NOT EXISTS (SELECT 1 FROM web_sessions w WHERE w.resident_id = r.id AND w.last_seen_at >= now() - make_interval(days => $1))
       AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.resident_id = r.id AND (k.status <> 'closed' OR k.closed_at >= now() - make_interval(days => $1)))`)
    // Web chats opened and never used (only the greeting) after a day: no reason to keep them.
    + await count(
      `DELETE FROM residents r
       WHERE r.channel = 'web' AND r.created_at < now() - interval '1 day'
         AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.resident_id = r.id AND t.direction = 'in' AND t.text NOT LIKE '/start%')
         AND NOT EXISTS (SELECT 1 FROM web_sessions w WHERE w.resident_id = r.id AND w.last_seen_at >= now() - interval '1 day')
         AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.resident_id = r.id)`, []);
  const other = await count("DELETE FROM staff_sessions WHERE expires_at < now()", [])
    + await count("DELETE FROM login_failures WHERE at < now() - interval '1 day'", [])
    + await count("DELETE FROM processed_updates WHERE processed_at < now() - interval '7 days'", [])
    // Missing guides an editor marked done: residents' wordings are not kept longer than their turns.
    + await count("DELETE FROM content_missing_guides WHERE done_at < now() - make_interval(days => $1)")
    // Voice messages are kept only while their ticket needs them: a week after it closed at most.
    + await count("DELETE FROM voice_clips v USING tickets k WHERE v.ticket_id = k.id AND k.status = 'closed' AND k.closed_at < now() - interval '7 days'", []);
  await refreshReportAggregates(pool);
  return { turns, tickets, webEvents, outbox, residents, other };
}
