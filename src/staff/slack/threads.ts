/**
 * Where each ticket's Slack announcement is (its thread): the interface, in memory for tests,
 * and in PostgreSQL (`slack_threads`) so that threads survive restarts and are shared by every
 * instance.
 * @module
 */
import type pg from "pg";

/** Where a ticket's announcement lives in Slack; its `ts` is also the thread's id. */
export interface SlackThread {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Remembers which Slack message announced which ticket. The server keeps it in PostgreSQL so
 * threads survive restarts; {@link MemorySlackThreads} is for tests.
 */
export interface SlackThreads {
  get(ticketId: number): Promise<SlackThread | undefined>;
  set(ticketId: number, thread: SlackThread): Promise<void>;
  /** The ticket announced by the message `ts` in `channel`. */
  byThread(channel: string, ts: string): Promise<number | undefined>;
}

/** {@link SlackThreads} in memory (tests, development). */
export class MemorySlackThreads implements SlackThreads {
  readonly #byTicket = new Map<number, SlackThread>();
  readonly #byThread = new Map<string, number>();

  /** The thread of a ticket, if it was announced. */
  get(ticketId: number): Promise<SlackThread | undefined> {
    return Promise.resolve(this.#byTicket.get(ticketId));
  }

  /** Records a ticket's thread. */
  set(ticketId: number, thread: SlackThread): Promise<void> {
    this.#byTicket.set(ticketId, { channel: thread.channel, ts: thread.ts });
    this.#byThread.set(`${thread.channel}/${thread.ts}`, ticketId);
    return Promise.resolve();
  }

  /** The ticket whose announcement is `ts` in `channel`. */
  byThread(channel: string, ts: string): Promise<number | undefined> {
    return Promise.resolve(this.#byThread.get(`${channel}/${ts}`));
  }
}

/** {@link SlackThreads} in the `slack_threads` table. */
export class PgSlackThreads implements SlackThreads {
  constructor(private readonly pool: pg.Pool) {}

  /** The thread of a ticket, if it was announced. */
  async get(ticketId: number): Promise<SlackThread | undefined> {
    const { rows } = await this.pool.query<SlackThread>("SELECT channel, ts FROM slack_threads WHERE ticket_id = $1", [ticketId]);
    return rows[0];
  }

  /** Records (or moves, after a transfer) a ticket's thread. */
  async set(ticketId: number, thread: SlackThread): Promise<void> {
    await this.pool.query(
      "INSERT INTO slack_threads (ticket_id, channel, ts) VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts",
      [ticketId, thread.channel, thread.ts]);
  }

  /** The ticket whose announcement is `ts` in `channel`. */
  async byThread(channel: string, ts: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ ticket_id: string }>("SELECT ticket_id FROM slack_threads WHERE channel = $1 AND ts = $2", [channel, ts]);
    return rows[0] ? Number(rows[0].ticket_id) : undefined;
  }

  /** Forgets a ticket's thread (so a transferred ticket is announced in its new centre). */
  async forget(ticketId: number): Promise<void> {
    await this.pool.query("DELETE FROM slack_threads WHERE ticket_id = $1", [ticketId]);
  }
}
