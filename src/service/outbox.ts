/**
 * The transactional outbox: work written in the same transaction as the change that caused it
 * (a staff reply for the resident, a Slack announcement), done by a worker with retries and
 * backoff. If Telegram or Slack is down, the work waits and is done after they recover. Several
 * instances share the table safely: each row is leased with `FOR UPDATE SKIP LOCKED`.
 * @module
 */
import type pg from "pg";
import type { Logger } from "../log.js";

/** Does one kind of work; throws to be retried later. */
export type OutboxHandler = (payload: Record<string, unknown>) => Promise<void>;

/** Options for {@link OutboxWorker}. */
export interface OutboxOptions {
  /** How often to look for due work when nothing wakes the worker. @default 1000 */
  readonly pollMs?: number;
  /** First retry delay; doubles per attempt. @default 2000 */
  readonly baseDelayMs?: number;
  /** Longest retry delay. @default 300000 (5 minutes) */
  readonly maxDelayMs?: number;
  /** How long a taken row is reserved for one worker. @default 60000 */
  readonly leaseMs?: number;
}

interface Row { id: string; kind: string; payload: Record<string, unknown>; attempts: number }

/** Runs outbox work. */
export class OutboxWorker {
  readonly #pool: pg.Pool;
  readonly #handlers: Map<string, OutboxHandler>;
  readonly #log: Logger;
  readonly #options: Required<OutboxOptions>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(pool: pg.Pool, handlers: Record<string, OutboxHandler>, log: Logger, options: OutboxOptions = {}) {
    this.#pool = pool;
    this.#handlers = new Map(Object.entries(handlers));
    this.#log = log;
    this.#options = { pollMs: 1000, baseDelayMs: 2000, maxDelayMs: 300_000, leaseMs: 60_000, ...options };
  }

  /** Adds handlers for more kinds of work. */
  register(handlers: Record<string, OutboxHandler>): void {
    for (const [kind, handler] of Object.entries(handlers)) this.#handlers.set(kind, handler);
  }

  /** Starts polling. */
  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Looks for work now (after a change that wrote some). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  /** Stops after the current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().catch((error: unknown) => this.#log.error("outbox failed", { error })).then(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#again;
        this.#again = false;
        this.#schedule(again ? 0 : this.#options.pollMs);
      });
    }, ms);
    this.#timer.unref?.();
  }

  /** Takes due rows and does them in order; returns how many were done. */
  async runOnce(limit = 50): Promise<number> {
    const { rows } = await this.#pool.query<Row>(
      `UPDATE outbox SET locked_until = now() + make_interval(secs => $2::double precision / 1000), attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox WHERE done_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, attempts`,
      [limit, this.#options.leaseMs]);
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    let done = 0;
    const failedKeys = new Set<string>();
    for (const row of rows) {
      // Keep one resident's (or ticket's) messages in order: after a failure, later ones wait too.
      const key = String(row.payload.ticketId ?? row.payload.residentId ?? row.id);
      if (failedKeys.has(key)) {
        await this.#pool.query("UPDATE outbox SET locked_until = NULL, attempts = attempts - 1 WHERE id = $1", [row.id]);
        continue;
      }
      const handler = this.#handlers.get(row.kind);
      try {
        if (!handler) throw new Error(`no handler for outbox kind '${row.kind}'`);
        await handler(row.payload);
        await this.#pool.query("UPDATE outbox SET done_at = now(), locked_until = NULL, last_error = NULL WHERE id = $1", [row.id]);
        done++;
      } catch (error) {
        failedKeys.add(key);
        const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** Math.max(0, row.attempts - 1));
        const message = error instanceof Error ? error.message : String(error);
        await this.#pool.query(
          "UPDATE outbox SET locked_until = NULL, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1",
          [row.id, message.slice(0, 500), delay]);
        this.#log.warn("outbox work failed; will retry", { kind: row.kind, attempt: row.attempts, retryInMs: delay, error: message });
      }
    }
    return done;
  }

  /** Work not done yet (for health checks and tests). */
  async pending(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE done_at IS NULL");
    return Number(rows[0]?.n ?? 0);
  }
}
