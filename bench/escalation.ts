/**
 * The escalation benchmark: many web chat residents asking for a person at once, against two app
 * instances that share one PostgreSQL schema (tickets and replies cross instances through
 * LISTEN/NOTIFY and the outbox). It measures, with the real HTTP APIs and event streams:
 * - "visible to staff": from a resident sending the question that opens the ticket until the
 *   `created` event for that ticket arrives on the agent's staff event stream (instance B);
 * - "reply delivered": from the agent sending a reply (instance B) until it arrives on the
 *   resident's own chat event stream (instance A or B).
 * Half of the residents use instance A, half instance B. Every ticket must show exactly once and
 * every reply must arrive exactly once. Both instances and the simulated residents share this
 * process (one event loop), as in the tests. No timing is asserted: the figures are from one run.
 * @module
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startApp, type RunningApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { openDatabase, type Database } from "../src/store/database.js";
import { sessionCookie } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const AGENT = { username: "bench-agent", password: "a long bench password", displayName: "Anna" };
/** How many tickets the agent handles at the same time. */
const AGENT_CONCURRENCY = 10;
/** How long to wait for every ticket or reply before giving up (ms). */
const WAIT_MS = 60_000;
/** How long to keep listening after the last expected event, to catch duplicates (ms). */
const SETTLE_MS = 500;

/** Latency figures (ms). */
export interface Spread { readonly p50: number; readonly p95: number; readonly max: number; readonly count: number }

/** A row of the table. */
export interface EscalationRow {
  readonly residents: number;
  readonly instances: number;
  /** Question sent → `created` on the staff event stream. */
  readonly visible: Spread;
  /** Staff reply sent → the reply on the resident's event stream. */
  readonly delivered: Spread;
  readonly allVisibleOnce: boolean;
  readonly allDeliveredOnce: boolean;
  readonly problems: readonly string[];
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0, count: sorted.length };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
}

/** True when a PostgreSQL server answers at `url` within two seconds. */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  return client.connect().then(() => client.end()).then(() => true, () => false);
}

/**
 * Reads a server-sent event stream and calls `onEvent` with each event's name, data and arrival
 * time. Resolves once the stream has sent its first event (`ready`), so that what follows is seen.
 */
async function listen(url: string, headers: Record<string, string>, signal: AbortSignal, onEvent: (event: string, data: string, at: number) => void): Promise<void> {
  const res = await fetch(url, { headers, signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream ${url}: HTTP ${res.status}`);
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const decoder = new TextDecoder();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === "ready") ready();
          else if (event && data !== undefined) onEvent(event, data, at);
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  await isReady;
}

interface ApiReply { text: string; buttons: { id: string }[]; from?: { name: string } }

/** A web chat resident with an open event stream. */
class Resident {
  /** Arrival times of the staff reply ("👤 Anna:" and {@link answer}) on the resident's stream. */
  readonly staffReplies: number[] = [];
  questionSentAt = 0;
  ticketId: number | undefined;
  private constructor(readonly index: number, readonly app: RunningApp, readonly id: string, readonly token: string) {}

  /** What the agent answers this resident (unique, to match the delivery). */
  get answer(): string {
    return `Labdien! Atbilde iedzīvotājam ${this.index}.`;
  }

  static async start(index: number, app: RunningApp, signal: AbortSignal): Promise<Resident> {
    const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (res.status !== 201) throw new Error(`new session: HTTP ${res.status}`);
    const body = (await res.json()) as { id: string; token: string };
    const resident = new Resident(index, app, body.id, body.token);
    await listen(`${app.url}/api/chat/sessions/${body.id}/events?token=${encodeURIComponent(body.token)}`, {}, signal, (event, data, at) => {
      if (event !== "message") return;
      for (const reply of (JSON.parse(data) as { replies: ApiReply[] }).replies) if (reply.from && reply.text.endsWith(resident.answer)) resident.staffReplies.push(at);
    });
    return resident;
  }

  async send(body: { text: string } | { button: string }): Promise<ApiReply[]> {
    const res = await fetch(`${this.app.url}/api/chat/sessions/${this.id}/messages`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` }, body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`resident ${this.index}: ${JSON.stringify(body)} → HTTP ${res.status}`);
    return ((await res.json()) as { replies: ApiReply[] }).replies;
  }

  /** The intake of the web chat: a person, yes, the parish, chat contact, consent, the question. */
  async escalate(): Promise<void> {
    for (const button of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes"]) await this.send({ button });
    this.questionSentAt = performance.now();
    const replies = await this.send({ text: `Labdien, man nav skaidrs, kā pieteikt e-rēķinu (iedzīvotājs ${this.index}).` });
    const number = /JN-(\d{6})/.exec(replies.map((r) => r.text).join("\n"))?.[1];
    if (!number) throw new Error(`resident ${this.index}: no ticket number in ${JSON.stringify(replies.map((r) => r.text))}`);
    this.ticketId = Number(number);
  }
}

/** A member of staff on one instance's JSON API (cookie and CSRF token). */
class Staff {
  private constructor(readonly app: RunningApp, readonly cookie: string, readonly csrf: string) {}

  static async login(app: RunningApp, username: string, password: string): Promise<Staff> {
    const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`staff login: HTTP ${res.status}`);
    const cookie = sessionCookie(res);
    return new Staff(app, cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
  }

  async call(method: "GET" | "POST", urlPath: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.app.url}/api/staff${urlPath}`, {
      method,
      headers: { cookie: this.cookie, ...(method === "POST" ? { "x-csrf-token": this.csrf, "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status !== 200) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }
}

/** Runs `fn` on every item, at most `limit` at a time. */
async function pooled<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

/**
 * Runs the benchmark with `residents` residents against two instances on a fresh schema of the
 * PostgreSQL server at `databaseUrl`, which is dropped afterwards.
 */
export async function runEscalationBench(residents = 100, databaseUrl: string): Promise<EscalationRow> {
  const schema = `bench_escalation_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const databases: Database[] = [];
  const apps: RunningApp[] = [];
  const streams = new AbortController();
  const problems: string[] = [];
  try {
    // 100 residents from one address at once: the per-address limit is not what is measured.
    const config = loadConfig({ KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1", WEB_SESSIONS_PER_ADDRESS: "100000", WEB_SESSIONS_PER_MINUTE: "100000" });
    for (let i = 0; i < 2; i++) databases.push(await openDatabase({ kind: "postgres", url: databaseUrl, schema }));
    // One after the other, so that the second start finds the schema migrated.
    for (const database of databases) apps.push(await startApp(config, silentLogger, { database, outbox: { pollMs: 20, baseDelayMs: 50, maxDelayMs: 500 } }));
    const [a, b] = apps as [RunningApp, RunningApp];
    await a.staffAccounts.add({ ...AGENT, role: "agent", centres: ["cenu-ozolnieku"] });

    // The agent works on instance B and watches B's staff event stream.
    const agent = await Staff.login(b, AGENT.username, AGENT.password);
    const created = new Map<number, number[]>();
    await listen(`${b.url}/api/staff/events`, { cookie: agent.cookie }, streams.signal, (event, data, at) => {
      const e = JSON.parse(data) as { type: string; ticketId: number };
      if (event === "ticket" && e.type === "created") created.set(e.ticketId, [...(created.get(e.ticketId) ?? []), at]);
    });

    const people = await Promise.all(Array.from({ length: residents }, (_, i) => Resident.start(i, i % 2 === 0 ? a : b, streams.signal)));
    const escalations = await Promise.allSettled(people.map((p) => p.escalate()));
    for (const r of escalations) if (r.status === "rejected") problems.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
    const opened = people.filter((p): p is Resident & { ticketId: number } => p.ticketId !== undefined);
    if (new Set(opened.map((p) => p.ticketId)).size !== opened.length) problems.push("two residents got the same ticket number");
    const allSeen = await until(() => opened.every((p) => created.has(p.ticketId)), WAIT_MS);
    await sleep(SETTLE_MS);
    if (!allSeen) problems.push(`${opened.filter((p) => !created.has(p.ticketId)).length} tickets never reached the staff stream`);
    const visible = opened.flatMap((p) => (created.get(p.ticketId) ?? []).slice(0, 1).map((at) => at - p.questionSentAt));
    const waiting = ((await agent.call("GET", "/tickets?status=waiting")).tickets as { id: number }[]).map((t) => t.id);
    const listed = new Set(waiting);
    const missing = opened.filter((p) => !listed.has(p.ticketId)).length;
    if (missing > 0) problems.push(`${missing} tickets missing from the waiting list`);
    const allVisibleOnce = opened.length === residents && allSeen && missing === 0 && created.size === residents
      && [...created.values()].every((times) => times.length === 1);
    if (created.size !== residents || [...created.values()].some((t) => t.length !== 1)) {
      problems.push(`staff stream: ${created.size} tickets, ${[...created.values()].filter((t) => t.length > 1).length} shown more than once`);
    }

    // The agent claims and answers every ticket, a few at a time.
    const replySentAt = new Map<Resident, number>();
    await pooled(opened, AGENT_CONCURRENCY, async (p) => {
      try {
        await agent.call("POST", `/tickets/${p.ticketId}/claim`);
        replySentAt.set(p, performance.now());
        await agent.call("POST", `/tickets/${p.ticketId}/reply`, { text: p.answer });
      } catch (error) {
        problems.push((error as Error).message);
      }
    });
    const answered = [...replySentAt.keys()];
    const allArrived = await until(() => answered.every((p) => p.staffReplies.length > 0), WAIT_MS);
    await sleep(SETTLE_MS);
    if (!allArrived) problems.push(`${answered.filter((p) => p.staffReplies.length === 0).length} staff replies never reached the resident`);
    const delivered = [...replySentAt].flatMap(([p, sentAt]) => p.staffReplies.slice(0, 1).map((at) => at - sentAt));
    const twice = people.filter((p) => p.staffReplies.length > 1).length;
    if (twice > 0) problems.push(`${twice} residents got a staff reply more than once`);
    const allDeliveredOnce = answered.length === residents && people.every((p) => p.staffReplies.length === 1);
    return { residents, instances: apps.length, visible: spread(visible), delivered: spread(delivered), allVisibleOnce, allDeliveredOnce, problems };
  } finally {
    streams.abort();
    for (const app of apps) await app.close();
    for (const database of databases) await database.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
