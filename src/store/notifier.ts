/**
 * Live notifications between parts of the app and between app instances: ticket events for
 * consoles and Slack, and "a message is waiting" for web chat streams. On a PostgreSQL server they
 * travel through LISTEN/NOTIFY (sent on commit, so every instance sees each event once); on
 * embedded PGlite there is one instance and they stay in-process.
 * @module
 */
import { EventEmitter } from "node:events";
import pg from "pg";
import type { Logger } from "../log.js";

const CHANNEL = "digipaligs_events";

/** Publishes and delivers events by topic. */
export interface Notifier {
  /** Publishes an event; with `db` inside a transaction it is sent when that transaction commits. */
  publish(topic: string, payload: unknown, db?: Pick<pg.Pool, "query">): Promise<void>;
  /** Calls `listener` for every event of `topic`; returns an unsubscribe function. */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

/** In-process notifications (one instance). */
export class LocalNotifier implements Notifier {
  readonly #emitter = new EventEmitter();
  constructor() {
    this.#emitter.setMaxListeners(0);
  }
  async publish(topic: string, payload: unknown): Promise<void> {
    // After the caller's transaction: the listener reads committed data.
    setImmediate(() => this.#emitter.emit(topic, payload));
  }
  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    this.#emitter.on(topic, listener);
    return () => this.#emitter.off(topic, listener);
  }
  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}

/** Notifications through PostgreSQL LISTEN/NOTIFY, shared by every instance on the database. */
export class PgNotifier implements Notifier {
  readonly #local = new LocalNotifier();
  readonly #pool: pg.Pool;
  #client: pg.Client | undefined;
  #closed = false;

  private constructor(pool: pg.Pool, private readonly connection: pg.ClientConfig, private readonly log: Logger) {
    this.#pool = pool;
  }

  /** Connects a listening client. */
  static async start(pool: pg.Pool, connection: pg.ClientConfig, log: Logger): Promise<PgNotifier> {
    const notifier = new PgNotifier(pool, connection, log);
    await notifier.#listen();
    return notifier;
  }

  async #listen(): Promise<void> {
    const client = new pg.Client(this.connection);
    client.on("notification", (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const { topic, payload } = JSON.parse(msg.payload) as { topic: string; payload: unknown };
        void this.#local.publish(topic, payload);
      } catch (error) {
        this.log.warn("bad notification", { error });
      }
    });
    client.on("error", (error) => {
      this.log.warn("notification connection lost; reconnecting", { error });
      this.#client = undefined;
      if (!this.#closed) setTimeout(() => void this.#listen().catch((e: unknown) => this.log.error("could not listen", { error: e })), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#client = client;
  }

  async publish(topic: string, payload: unknown, db: Pick<pg.Pool, "query"> = this.#pool): Promise<void> {
    await db.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ topic, payload })]);
  }

  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    return this.#local.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#client?.end().catch(() => undefined);
    await this.#local.close();
  }
}
