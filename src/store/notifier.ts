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
  /** Calls `listener` when events may have been missed (a lost connection came back). */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** In-process notifications (one instance). */
export class LocalNotifier implements Notifier {
  readonly #emitter = new EventEmitter();
  constructor() {
    this.#emitter.setMaxListeners(0);
  }
  publish(topic: string, payload: unknown): Promise<void> {
    // After the caller's transaction: the listener reads committed data.
    setImmediate(() => this.#emitter.emit(topic, payload));
    return Promise.resolve();
  }
  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    this.#emitter.on(topic, listener);
    return () => this.#emitter.off(topic, listener);
  }
  /** In-process events are never missed. */
  onReconnect(_listener: () => void): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    this.#emitter.removeAllListeners();
    return Promise.resolve();
  }
}

/**
 * Notifications through PostgreSQL LISTEN/NOTIFY, shared by every instance on the database.
 * Exactly one listening connection at any time: when it is lost (a server restart), one
 * reconnect loop with backoff replaces it, and {@link PgNotifier.onReconnect} listeners are told
 * so that they can catch up with what was published meanwhile.
 */
export class PgNotifier implements Notifier {
  readonly #local = new LocalNotifier();
  readonly #pool: pg.Pool;
  readonly #reconnected = new Set<() => void>();
  #client: pg.Client | undefined;
  #reconnecting: NodeJS.Timeout | undefined;
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

  /** True while the listening connection is up. */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  async #listen(): Promise<void> {
    const client = new pg.Client(this.connection);
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (this.#client === client) this.#client = undefined;
      if (this.#closed) return;
      this.log.warn("notification connection lost; reconnecting", error ? { error } : {});
      this.#scheduleReconnect(1000);
    };
    client.on("notification", (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const { topic, payload } = JSON.parse(msg.payload) as { topic: string; payload: unknown };
        void this.#local.publish(topic, payload);
      } catch (error) {
        this.log.warn("bad notification", { error });
      }
    });
    // Errors after a failed start are expected (the socket closes too); only the first counts.
    client.on("error", (error) => onLost(error));
    client.on("end", () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      lost = true;
      client.removeAllListeners("notification");
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  /** One reconnect loop at a time, backing off up to 10 s while the server is away. */
  #scheduleReconnect(delayMs: number): void {
    if (this.#reconnecting || this.#closed) return;
    this.#reconnecting = setTimeout(() => {
      this.#listen().then(() => {
        this.#reconnecting = undefined;
        if (this.#closed) return;
        this.log.info("notification connection restored");
        for (const listener of this.#reconnected) listener();
      }, (error: unknown) => {
        this.#reconnecting = undefined;
        this.log.debug("could not listen yet; trying again", { error });
        this.#scheduleReconnect(Math.min(10_000, delayMs * 2));
      });
    }, delayMs);
    this.#reconnecting.unref();
  }

  /** Calls `listener` after the listening connection came back (events may have been missed). */
  onReconnect(listener: () => void): () => void {
    this.#reconnected.add(listener);
    return () => this.#reconnected.delete(listener);
  }

  async publish(topic: string, payload: unknown, db: Pick<pg.Pool, "query"> = this.#pool): Promise<void> {
    await db.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ topic, payload })]);
  }

  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    return this.#local.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnecting) clearTimeout(this.#reconnecting);
    this.#reconnecting = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
    await this.#local.close();
    this.#reconnected.clear();
  }
}
