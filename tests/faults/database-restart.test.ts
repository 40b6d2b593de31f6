/**
 * The fault suite for the PostgreSQL server: a throwaway cluster this test starts itself is
 * stopped, crashed and restarted while the app runs idle, under load and in the middle of
 * transactions. The app must keep running (an unhandled error would fail this file), answer 503
 * while the server is away, recover by itself, and lose or double no acknowledged message; there
 * is exactly one LISTEN connection after any number of restarts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { PgNotifier } from "../../src/store/notifier.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { reportFault } from "../support/fault-report.js";
import { PgCluster, postgresBinDir } from "../support/pg-cluster.js";
import { telegramOptions } from "../support/telegram-app.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface Session { id: string; token: string }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const available = postgresBinDir() !== undefined;
if (!available && process.env.CI) throw new Error("CI needs the PostgreSQL server binaries for the fault suite");

describe.skipIf(!available)("a PostgreSQL server that restarts under the running app", () => {
  let cluster: PgCluster;
  let database: Database;
  let fake: FakeTelegram;
  let app: App;
  const logLines: string[] = [];

  const post = async (path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    try {
      const res = await fetch(`${app.url}${path}`, {
        method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    } catch {
      return { status: 0, json: {} };
    }
  };
  const newSession = async (): Promise<Session> => {
    const res = await until("a web session", async () => {
      const r = await post("/api/chat/sessions", {});
      return r.status === 201 ? r.json : undefined;
    });
    return { id: String(res.id), token: String(res.token) };
  };
  /** Sends a message as the page does: the same client message id until it is answered. */
  const sendUntilAnswered = async (s: Session, text: string): Promise<{ attempts: number; statuses: number[] }> => {
    const messageId = randomUUID();
    const statuses: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const r = await post(`/api/chat/sessions/${s.id}/messages`, { text, messageId }, s.token);
      statuses.push(r.status);
      if (r.status === 200) {
        expect(Array.isArray(r.json.replies) && (r.json.replies as unknown[]).length).toBeGreaterThanOrEqual(1);
        return { attempts: attempt, statuses };
      }
      expect([0, 503]).toContain(r.status);
      if (attempt > 200) throw new Error(`'${text}' was never answered: ${statuses.join(",")}`);
      await sleep(150);
    }
  };
  const inbound = async (s: Session, text: string): Promise<number> => {
    const { rows } = await database.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM turns t JOIN residents r ON r.id = t.resident_id WHERE r.channel = 'web' AND r.chat_id = $1 AND t.direction = 'in' AND t.text = $2", [s.id, text]);
    return Number(rows[0]?.n);
  };
  const listeners = async (): Promise<number> => {
    const { rows } = await database.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'LISTEN digipaligs_events'");
    return Number(rows[0]?.n);
  };
  const healthy = async (): Promise<number> => (await fetch(`${app.url}/healthz`)).status;
  const notifierUp = (): boolean => app.notifier instanceof PgNotifier && app.notifier.listening;

  beforeAll(async () => {
    cluster = await PgCluster.start();
    database = await openDatabase({ kind: "postgres", url: cluster.url() }, { log: createLogger("warn", (l) => logLines.push(l)) });
    fake = await FakeTelegram.start();
    app = await startTestApp({ database, telegram: telegramOptions(fake) });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await ifAssigned(fake)?.close();
    await ifAssigned(database)?.close();
    await ifAssigned(cluster)?.destroy();
  }, 30_000);

  it("answers 503 'unavailable' and reports the database down while it is stopped, then recovers by itself", async () => {
    const s = await newSession();
    await sendUntilAnswered(s, "labdien");
    expect(await healthy()).toBe(200);
    await cluster.stop("fast");
    const down = await post(`/api/chat/sessions/${s.id}/messages`, { text: "vai jūs strādājat?", messageId: randomUUID() }, s.token);
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ error: { code: "unavailable" } });
    expect((down.json.error as { message: string }).message).toMatch(/try again/i);
    expect(await healthy()).toBe(503);
    const started = Date.now();
    await cluster.startServer();
    await until("the health check to pass", async () => ((await healthy()) === 200 ? true : undefined));
    await sendUntilAnswered(s, "vai jūs strādājat?");
    // Recovered within seconds of the server's return, without a restart of the app.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await inbound(s, "vai jūs strādājat?")).toBe(1);
    reportFault("PostgreSQL stopped, then started", `web chat 503 'unavailable' (polite text), /healthz 503; answered again ${Date.now() - started} ms after the start`, "0 lost, 0 doubled");
  }, 60_000);

  it("survives a restart while idle, keeps exactly one LISTEN connection and one event per staff action", async () => {
    await until("the notification connection", () => Promise.resolve(notifierUp() ? true : undefined));
    expect(await listeners()).toBe(1);
    for (let i = 0; i < 3; i++) {
      await sleep(300);
      await cluster.restart(i === 1 ? "immediate" : "fast");
      await until("the notification connection to come back", async () => (notifierUp() && (await listeners()) === 1 ? true : undefined));
    }
    await sleep(2500);
    expect(await listeners()).toBe(1);
    // One staff note is one console event, after any number of lost connections.
    const ticket = await app.desk.createTicket({ channel: "web", chatId: "restart-events", lang: "lv", question: "Palīdziet", context: { reason: "askedForPerson" } });
    const admin = await app.staffAccounts.add({ username: "admin-restart", password: "correct horse battery", role: "admin" });
    const events: string[] = [];
    const unsubscribe = app.desk.subscribe((e) => {
      if (e.ticketId === ticket.id) events.push(e.type);
    });
    await app.desk.note(admin, ticket.id, "viena piezīme");
    await until("the note's event", () => Promise.resolve(events.includes("note") ? true : undefined));
    await sleep(500);
    unsubscribe();
    expect(events.filter((e) => e === "note")).toEqual(["note"]);
    reportFault("3 restarts while idle (fast, immediate, fast)", "nothing (no traffic); 1 LISTEN connection after each", "1 console event per staff note");
  }, 60_000);

  it("loses and doubles nothing acknowledged when the server crashes and restarts under load", async () => {
    const sessions = await Promise.all(Array.from({ length: 8 }, () => newSession()));
    const perResident = 8;
    // Below the web chat's 30 messages a minute per session, with room for messages sent again.
    const mostPerResident = 20;
    let answered = 0;
    let restarted = false;
    // Each resident sends at least perResident messages, and goes on (up to mostPerResident) until
    // the server has crashed and restarted, so the crash meets the load however fast the app answers.
    const load = Promise.all(sessions.map(async (s, n) => {
      const results = [];
      for (let i = 0; i < mostPerResident && (i < perResident || !restarted); i++) {
        results.push(await sendUntilAnswered(s, `jautājums ${n}-${i} par e-rēķiniem`));
        answered++;
      }
      return results;
    }));
    // Crash in the middle of the load (transactions in flight) once every resident has had an
    // answer, then a clean restart.
    await until("the load to be under way", () => Promise.resolve(answered >= sessions.length ? true : undefined));
    await cluster.restart("immediate", 1500);
    await sleep(800);
    await cluster.restart("fast", 500);
    restarted = true;
    const results = await load;
    // Some messages met the outage (503 or a cut connection) and were sent again with the same id.
    expect(results.flat().some((r) => r.attempts > 1)).toBe(true);
    for (const [n, s] of sessions.entries()) {
      for (let i = 0; i < (results[n]?.length ?? 0); i++) expect(await inbound(s, `jautājums ${n}-${i} par e-rēķiniem`), `message ${n}-${i}`).toBe(1);
    }
    const all = results.flat().flatMap((r) => r.statuses);
    const sent = results.flat().length;
    reportFault(`crash (immediate) + restart under load: ${sessions.length} residents × at least ${perResident} messages (${sent} in all)`,
      `${all.filter((x) => x === 200).length} answered, ${all.filter((x) => x === 503).length} × 503 and ${all.filter((x) => x === 0).length} × cut connection, each sent again with its client id (max ${Math.max(...results.flat().map((r) => r.attempts))} attempts)`,
      `0 of ${sent} lost, 0 doubled`);
    await until("one LISTEN connection", async () => ((await listeners()) === 1 ? true : undefined));
  }, 90_000);

  it("delivers staff replies made around a restart once each, in order, and the outbox resumes", async () => {
    const s = await newSession();
    await sendUntilAnswered(s, "gribu runāt ar cilvēku");
    const resident = await app.store.resident("web", s.id);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: s.id, lang: "lv", question: "Palīdziet ar deklarāciju", context: { reason: "askedForPerson" } });
    const agent = await app.staffAccounts.add({ username: "agent-restart", password: "correct horse battery", role: "admin", displayName: "Anna" });
    await app.desk.claim(agent, ticket.id);
    await app.desk.reply(agent, ticket.id, "Pirmā atbilde");
    await cluster.stop("fast");
    // While the server is away a reply cannot be written: staff get an error, nothing is half-done.
    await expect(app.desk.reply(agent, ticket.id, "Otrā atbilde")).rejects.toThrow();
    await cluster.startServer();
    await until("the staff reply to be accepted", async () => app.desk.reply(agent, ticket.id, "Otrā atbilde").then(() => true));
    await app.desk.reply(agent, ticket.id, "Trešā atbilde");
    const texts = await until("three replies delivered", async () => {
      const events = await app.service.webEvents(resident.id, 0);
      const all = events.flatMap((e) => ((e.payload as { replies: { text: string }[] }).replies).map((r) => r.text));
      return all.filter((t) => t.includes("atbilde")).length >= 3 ? all : undefined;
    }).catch(async (error: unknown) => {
      const events = await app.service.webEvents(resident.id, 0);
      const rows = await database.pool.query("SELECT id, kind, attempts, progress, last_error, done_at IS NOT NULL AS done, failed_at IS NOT NULL AS failed FROM outbox ORDER BY id");
      throw new Error(`${String(error)}\nevents: ${JSON.stringify(events)}\noutbox: ${JSON.stringify(rows.rows)}`);
    });
    expect(texts.filter((t) => /Anna.*pievienojās|pievienojās/i.test(t))).toHaveLength(1);
    const replies = texts.filter((t) => t.includes("atbilde")).map((t) => t.split("\n").at(-1));
    expect(replies).toEqual(["Pirmā atbilde", "Otrā atbilde", "Trešā atbilde"]);
    expect(await app.outbox.pending()).toBe(0);
    reportFault("staff replies around a stop/start", "a reply during the outage was refused to staff (retried after); the resident got joined, R1, R2, R3 in order", "0 lost, 0 doubled");
  }, 60_000);

  it("answers a Telegram message that arrived while the server was away, once", async () => {
    const chat = 4242;
    fake.sendText(chat, "/start");
    await fake.waitForMessages(chat, 2, 15_000);
    await cluster.stop("fast");
    const before = fake.messages(chat).length;
    fake.sendText(chat, "kā iesniegt deklarāciju?");
    // The bot has taken the update (confirmed it) and has not answered while the server is away.
    await expect.poll(() => fake.pendingUpdates(), { timeout: 15_000 }).toBe(0);
    expect(fake.messages(chat).length).toBe(before);
    await cluster.startServer();
    const [answer] = (await fake.waitForMessages(chat, before + 1, 20_000)).slice(before);
    expect(answer?.plainText).not.toMatch(/nosūtiet to vēlreiz/);
    // A later message is the barrier: answered in order, it comes after any second answer.
    fake.sendText(chat, "/help");
    const after = (await fake.waitForMessages(chat, before + 2, 20_000)).slice(before);
    expect(after.map((m) => m.plainText)).toEqual([answer?.plainText, expect.stringMatching(/Kā ar mani runāt/)]);
    reportFault("Telegram message while PostgreSQL is stopped (polling)", "answered after the database came back (within the update budget)", "0 lost, 0 doubled");
  }, 60_000);

  it("logs the outages as warnings without secrets", () => {
    expect(logLines.some((l) => l.includes("database connection lost"))).toBe(true);
    expect(logLines.join("")).not.toMatch(/password=|\d{5,}:[A-Za-z0-9_-]{30,}/);
  });
});
