/**
 * The transactional outbox: work written in the same transaction as the change that caused it
 * (a staff reply for the resident, a Slack announcement), done by a worker with retries and
 * backoff. If Telegram or Slack is down, the work waits and is done after they recover.
 *
 * - **In order.** Every row has an order key (`resident:<id>` for messages to a resident,
 *   `slack:<ticket>` for a ticket's Slack thread). A row is taken only when no earlier row with
 *   its key is still pending, so a later message never overtakes an earlier one — across
 *   retries and across instances (rows are leased with `FOR UPDATE SKIP LOCKED`).
 * - **Once.** A job that sends several messages records its progress after each one; a retry
 *   continues after the last message sent.
 * - **Dead letters.** A permanent refusal ({@link DeliveryRefusedError}: the resident blocked the
 *   bot, the chat is gone) or a payload that does not fit its kind stops the job: it is marked
 *   failed and the `onFailed` hook tells staff.
 * @module
 */
import type pg from "pg";
import { z } from "zod";
import type { Logger } from "../log.js";
import { OUTBOX_PAYLOADS, type OutboxKind, type OutboxPayload } from "../store/outbox.js";
import { withTransaction } from "../store/transaction.js";
import { DeliveryRefusedError } from "../core/errors.js";
export { enqueueOutbox, OUTBOX_PAYLOADS, type OutboxKind, type OutboxPayload } from "../store/outbox.js";

/** A job being done: its progress through several messages. */
export interface OutboxJob {
  readonly id: number;
  readonly attempt: number;
  /** Messages of this job already sent by earlier attempts. */
  readonly progress: number;
  /**
   * Records that `sent` messages are done, optionally with more writes in the same transaction
   * (the transcript line of the message just sent).
   */
  advance(sent: number, alsoWrite?: (db: Pick<pg.Pool, "query">) => Promise<void>): Promise<void>;
}

/** Does one kind of work; throws to be retried later ({@link DeliveryRefusedError}: never). */
export type OutboxHandler<K extends OutboxKind> = (payload: OutboxPayload<K>, job: OutboxJob) => Promise<void>;
/** Handlers by kind. */
export type OutboxHandlers = { readonly [K in OutboxKind]?: OutboxHandler<K> };

/** A job that failed for good. */
export interface FailedJob {
  readonly id: number;
  readonly kind: string;
  readonly payload: unknown;
  readonly residentId: number | null;
  readonly error: string;
}

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
  /** Jobs of different keys done at once. @default 8 */
  readonly concurrency?: number;
  /** Work of a kind no handler knows is given up after this many attempts. @default 20 */
  readonly maxUnknownAttempts?: number;
}

interface Row { id: string; kind: string; payload: unknown; attempts: number; progress: number; resident_id: string | null }

/** Runs outbox work. */
export class OutboxWorker {
  readonly #pool: pg.Pool;
  readonly #handlers = new Map<string, OutboxHandler<never>>();
  readonly #log: Logger;
  readonly #options: Required<OutboxOptions>;
  readonly #onFailed: ((job: FailedJob) => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #lastFailureLog = 0;
  /** Rows whose lease could not be given back (the database went away mid-job): released on the next round. */
  readonly #abandoned = new Set<string>();

  constructor(pool: pg.Pool, handlers: OutboxHandlers, log: Logger, options: OutboxOptions & { onFailed?: (job: FailedJob) => Promise<void> } = {}) {
    this.#pool = pool;
    this.#log = log;
    const { onFailed, ...rest } = options;
    this.#onFailed = onFailed;
    this.#options = { pollMs: 1000, baseDelayMs: 2000, maxDelayMs: 300_000, leaseMs: 60_000, concurrency: 8, maxUnknownAttempts: 20, ...rest };
    this.register(handlers);
  }

  /** Adds handlers for more kinds of work. */
  register(handlers: OutboxHandlers): void {
    // An optional handler may be given as undefined, which Object.entries' type leaves out.
    const entries: [string, OutboxHandler<never> | undefined][] = Object.entries(handlers);
    for (const [kind, handler] of entries) if (handler) this.#handlers.set(kind, handler);
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

  /** Stops after the jobs in hand; rows taken but not started are given back at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().then((done) => {
        if (done > 0) this.#again = true;
      }, (error: unknown) => {
        // The database is away (a restart): keep polling, and say so once in a while.
        if (Date.now() - this.#lastFailureLog > 30_000) {
          this.#lastFailureLog = Date.now();
          this.#log.warn("outbox: could not look for work; will keep trying", { error });
        }
      }).then(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#again;
        this.#again = false;
        this.#schedule(again ? 0 : this.#options.pollMs);
      });
    }, ms);
    this.#timer.unref();
  }

  /** Takes due rows (the first pending one of each order key) and does them; returns how many were done. */
  async runOnce(limit = 50): Promise<number> {
    if (this.#abandoned.size > 0) {
      // The database is back: the jobs cut off by the outage are due again now, not after their lease.
      const ids = [...this.#abandoned];
      await this.#pool.query("UPDATE outbox SET locked_until = NULL WHERE id = ANY($1::bigint[]) AND done_at IS NULL", [ids]);
      for (const id of ids) this.#abandoned.delete(id);
    }
    const { rows } = await this.#pool.query<Row>(
      `UPDATE outbox SET locked_until = now() + make_interval(secs => $2::double precision / 1000), attempts = attempts + 1
       WHERE id IN (
         SELECT o.id FROM outbox o
         WHERE o.done_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= now() AND (o.locked_until IS NULL OR o.locked_until < now())
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key AND e.id < o.id AND e.done_at IS NULL AND e.failed_at IS NULL)
         ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, attempts, progress, resident_id`,
      [limit, this.#options.leaseMs]);
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    let done = 0;
    let next = 0;
    // The error that lost the database connection (boxed: a thrown value may be anything).
    let lost: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      for (let row = rows[next++]; row; row = rows[next++]) {
        if (this.#stopped || lost !== undefined) {
          // Stopping (or the database went away): give the lease back so that another instance,
          // or this one after the outage, takes the row at once.
          if (lost !== undefined) this.#abandoned.add(row.id);
          else await this.#pool.query("UPDATE outbox SET locked_until = NULL, attempts = attempts - 1 WHERE id = $1", [row.id]);
          continue;
        }
        try {
          if (await this.#do(row)) done++;
        } catch (error) {
          // Not even the failure could be written (the database is away): release it when it is back.
          this.#abandoned.add(row.id);
          lost = { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.concurrency, rows.length) }, worker));
    if (lost !== undefined) throw lost.error;
    return done;
  }

  async #do(row: Row): Promise<boolean> {
    const id = Number(row.id);
    const handler = this.#handlers.get(row.kind);
    const schema = (OUTBOX_PAYLOADS as Record<string, z.ZodType | undefined>)[row.kind];
    try {
      if (!handler || !schema) {
        if (row.attempts >= this.#options.maxUnknownAttempts) throw new DeliveryRefusedError(`no handler for outbox kind '${row.kind}'`);
        throw new Error(`no handler for outbox kind '${row.kind}' on this instance`);
      }
      const parsed = schema.safeParse(row.payload);
      if (!parsed.success) throw new DeliveryRefusedError(`the payload does not fit '${row.kind}': ${parsed.error.issues[0]?.message ?? "invalid"}`);
      const job: OutboxJob = {
        id, attempt: row.attempts, progress: row.progress,
        advance: async (sent, alsoWrite) => {
          if (alsoWrite) {
            await withTransaction(this.#pool, async (client) => {
              await alsoWrite(client);
              await client.query("UPDATE outbox SET progress = $2 WHERE id = $1", [id, sent]);
            });
          } else {
            await this.#pool.query("UPDATE outbox SET progress = $2 WHERE id = $1", [id, sent]);
          }
        },
      };
      await handler(parsed.data as never, job);
      await this.#pool.query("UPDATE outbox SET done_at = now(), locked_until = NULL, last_error = NULL WHERE id = $1", [id]);
      return true;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      if (error instanceof DeliveryRefusedError) {
        await this.#pool.query("UPDATE outbox SET failed_at = now(), locked_until = NULL, last_error = $2 WHERE id = $1", [id, message]);
        this.#log.warn("outbox work refused for good; marked failed", { kind: row.kind, job: id, error: message });
        await this.#onFailed?.({ id, kind: row.kind, payload: row.payload, residentId: row.resident_id === null ? null : Number(row.resident_id), error: message })
          .catch((e: unknown) => this.#log.error("could not report a failed delivery", { error: e }));
        return false;
      }
      const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** Math.max(0, row.attempts - 1));
      await this.#pool.query(
        "UPDATE outbox SET locked_until = NULL, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1",
        [id, message, delay]);
      this.#log.warn("outbox work failed; will retry", { kind: row.kind, attempt: row.attempts, retryInMs: delay, error: message });
      return false;
    }
  }

  /** Makes the pending work of a key due now (a later message is waiting behind it). */
  async hurry(orderKey: string): Promise<void> {
    await this.#pool.query("UPDATE outbox SET next_attempt_at = now() WHERE order_key = $1 AND done_at IS NULL AND failed_at IS NULL AND next_attempt_at > now()", [orderKey]);
    this.wake();
  }

  /** Work not done yet (for health checks and tests); failed work does not count. */
  async pending(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE done_at IS NULL AND failed_at IS NULL");
    return Number(rows[0]?.n ?? 0);
  }
}
