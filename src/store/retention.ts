/**
 * The retention job: deletes what is no longer needed after the retention period — transcript
 * lines, closed tickets (with their messages and audit entries), delivered web chat messages and
 * finished outbox work — and short-lived records (expired staff sessions, old login failures,
 * processed update ids older than a week). Counted events stay: they hold no conversation text.
 * @module
 */
import type pg from "pg";

/** How many rows each part of the job deleted. */
export interface RetentionResult {
  readonly turns: number;
  readonly tickets: number;
  readonly webEvents: number;
  readonly outbox: number;
  readonly other: number;
}

/** Deletes data older than `days` days (and short-lived records). */
export async function purgeOldData(pool: pg.Pool, days: number): Promise<RetentionResult> {
  const count = async (sql: string, values: unknown[] = [days]): Promise<number> => (await pool.query(sql, values)).rowCount ?? 0;
  const turns = await count("DELETE FROM turns WHERE created_at < now() - make_interval(days => $1)");
  const tickets = await count("DELETE FROM tickets WHERE status = 'closed' AND closed_at < now() - make_interval(days => $1)");
  const webEvents = await count("DELETE FROM web_events WHERE created_at < now() - make_interval(days => $1)");
  const outbox = await count("DELETE FROM outbox WHERE done_at IS NOT NULL AND done_at < now() - make_interval(days => $1)");
  const other = await count("DELETE FROM staff_sessions WHERE expires_at < now()", [])
    + await count("DELETE FROM login_failures WHERE at < now() - interval '1 day'", [])
    + await count("DELETE FROM processed_updates WHERE processed_at < now() - interval '7 days'", []);
  return { turns, tickets, webEvents, outbox, other };
}
