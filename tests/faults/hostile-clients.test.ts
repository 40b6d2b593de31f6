/**
 * Hostile and broken clients: one resident's NUL bytes or lone surrogates never hurt the others
 * (sanitised at the edge; a bad item of a group commit fails alone), bodies are limited on every
 * route, buttons that name a ticket act only on the resident's own ticket, web sessions are
 * limited per client address and per instance, a message sent again with its client id is
 * answered the same and stored once, and arbitrary input never yields a 500 or a throw.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEW_SESSION } from "../../src/core/conversation.js";
import { isLang, type Input } from "../../src/core/types.js";
import { RateLimiter } from "../../src/server/limits.js";
import { Batcher } from "../../src/service/batcher.js";
import { ConversationStore } from "../../src/store/conversation-store.js";
import { isConnectionError } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { FakeSlack } from "../support/fake-slack.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface ApiReply { text: string; buttons: { id: string; label: string }[] }
interface Session { id: string; token: string }

const json = { "content-type": "application/json" };

async function createSession(app: App, headers: Record<string, string> = {}): Promise<{ status: number; session: Session }> {
  const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { ...json, ...headers }, body: "{}" });
  const body = (await res.json()) as Session;
  return { status: res.status, session: body };
}

async function send(app: App, s: Session, body: unknown): Promise<{ status: number; json: { replies?: ApiReply[]; repeated?: boolean; error?: { code: string } } }> {
  const res = await fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
    method: "POST", headers: { ...json, authorization: `Bearer ${s.token}` }, body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as never };
}

const targets = await databaseTargets("hostile");

describe.each(targets)("hostile web chat clients on $name", (target) => {
  let app: App;
  let db: Awaited<ReturnType<typeof target.open>>;
  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("answers every innocent message while ten residents send NUL bytes and lone surrogates", async () => {
    const hostile = await Promise.all(Array.from({ length: 10 }, async () => (await createSession(app)).session));
    const innocent = await Promise.all(Array.from({ length: 30 }, async () => (await createSession(app)).session));
    const poison = ["nul\u0000byte", "\ud800 alone", "tail \udfff", "\u0000\u0000\u0000", "mix\u0000\udbff\u0000"];
    const results = await Promise.all([
      ...hostile.flatMap((s, n) => poison.map((p) => send(app, s, { text: `${p} ${n}` }))),
      ...innocent.flatMap((s, n) => Array.from({ length: 10 }, (_, i) => send(app, s, { text: `Kā saņemt e-rēķinu? ${n}.${i}` }))),
    ]);
    const innocentResults = results.slice(hostile.length * poison.length);
    expect(innocentResults.filter((r) => r.status !== 200)).toEqual([]);
    expect(innocentResults).toHaveLength(300);
    // The hostile texts themselves are answered too, with the bytes removed or replaced.
    expect(results.slice(0, hostile.length * poison.length).every((r) => r.status === 200)).toBe(true);
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM turns WHERE text LIKE '%' || chr(65533) || '%'");
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  }, 120_000);

  it("stores the rest of a group commit when one item fails, and gives that item its own error", async () => {
    const store = new ConversationStore(db.pool);
    const residents = await Promise.all(Array.from({ length: 12 }, (_, i) => store.resident("web", `batch-${Date.now()}-${i}`)));
    let calls = 0;
    const batcher = new Batcher((items: Parameters<ConversationStore["commitTurns"]>[0][number][]) => {
      calls++;
      return store.commitTurns(items);
    }, { maxInFlight: 1, isolate: (e) => !isConnectionError(e), itemError: () => new Error("this one could not be stored") });
    const results = await Promise.allSettled(residents.map((r, i) => batcher.submit({
      residentId: r.id, expectedVersion: 0, state: { n: i },
      turns: [{ direction: "in", text: `message ${i}` }],
      // An impossible language breaks the whole statement (the residents table refuses it).
      ...(i === 7 ? { lang: "xx" as never } : {}),
    })));
    expect(results.map((r) => (r.status === "rejected" ? (r.reason instanceof Error ? r.reason.message : String(r.reason)) : r.status))).toEqual(residents.map((_, i) => (i === 7 ? "this one could not be stored" : "fulfilled")));
    expect(results.map((r) => r.status)).toEqual(residents.map((_, i) => (i === 7 ? "rejected" : "fulfilled")));
    expect((results[7] as PromiseRejectedResult).reason).toMatchObject({ message: "this one could not be stored" });
    expect(calls).toBeGreaterThan(1);
    for (const [i, r] of residents.entries()) expect((await store.transcript(r.id)).map((t) => t.text)).toEqual(i === 7 ? [] : [`message ${i}`]);
  });

  it("answers a message sent again with the same client id with the same replies, storing it once", async () => {
    const { session: s } = await createSession(app);
    const messageId = "m-0001-retry-test";
    const first = await send(app, s, { text: "Kā iesniegt iesniegumu pašvaldībai?", messageId });
    const again = await send(app, s, { text: "Kā iesniegt iesniegumu pašvaldībai?", messageId });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(first.json.repeated).toBe(false);
    expect(again.json.repeated).toBe(true);
    expect(again.json.replies).toEqual(first.json.replies);
    const resident = await app.store.resident("web", s.id);
    expect((await app.store.transcript(resident.id)).filter((t) => t.direction === "in" && t.text.startsWith("Kā iesniegt"))).toHaveLength(1);
    expect((await send(app, s, { text: "x", messageId: "bad id!" })).status).toBe(400);
  });

  it("lets a rating button act only on the resident's own ticket, also when many press at once", async () => {
    const owner = (await createSession(app)).session;
    await send(app, owner, { text: "labdien" });
    const ownerResident = await app.store.resident("web", owner.id);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: owner.id, lang: "lv", question: "Palīdziet", context: { reason: "askedForPerson" } });
    await app.service.handle("web", owner.id, { kind: "text", text: "sveiki" });
    const admin = await app.staffAccounts.add({ username: "rate-admin", password: "correct horse battery", role: "admin" });
    await app.desk.close(admin, ticket.id, "Atbildēts");
    const others = await Promise.all(Array.from({ length: 20 }, async () => (await createSession(app)).session));
    const presses = await Promise.all(others.map((s) => send(app, s, { button: `rate:${ticket.id}:1` })));
    expect(presses.every((p) => p.status === 200)).toBe(true);
    expect(presses.every((p) => !(p.json.replies?.[0]?.text ?? "").includes("Paldies par vērtējumu"))).toBe(true);
    const rating = async (): Promise<number | null> => (await db.pool.query<{ rating: number | null }>("SELECT rating FROM tickets WHERE id = $1", [ticket.id])).rows[0]?.rating ?? null;
    expect(await rating()).toBeNull();
    const own = await send(app, owner, { button: `rate:${ticket.id}:5` });
    expect(own.json.replies?.[0]?.text).toMatch(/Paldies par vērtējumu/);
    expect(await rating()).toBe(5);
    expect(ownerResident.id).toBeGreaterThan(0);
  });

  it("answers out-of-range ids and event cursors with 400", async () => {
    const { session: s } = await createSession(app);
    expect((await send(app, s, { button: "rate:99999999999999999999:5" })).status).toBe(400);
    for (const after of ["1.5", "abc", "-1", "1e3", "99999999999999999999"]) {
      const res = await fetch(`${app.url}/api/chat/sessions/${s.id}/events?token=${encodeURIComponent(s.token)}&after=${after}`);
      expect(res.status, after).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
  });

  it("never answers 500 to arbitrary bodies (fast-check)", async () => {
    const { session: s } = await createSession(app);
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.json(),
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.record({ text: fc.string({ unit: "binary", maxLength: 500 }) }).map((o) => JSON.stringify(o)),
        fc.record({ button: fc.string({ unit: "binary", minLength: 1, maxLength: 128 }) }).map((o) => JSON.stringify(o)),
        fc.record({ text: fc.string(), messageId: fc.string() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      ),
      async (body) => {
        const r = await send(app, s, body);
        expect([200, 400, 429], `${r.status} for ${JSON.stringify(body).slice(0, 200)}`).toContain(r.status);
      },
    ), { numRuns: 25 });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.json(), fc.string({ unit: "binary", maxLength: 200 })), async (body) => {
      const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: json, body });
      expect([201, 400], `${res.status} for ${body.slice(0, 200)}`).toContain(res.status);
    }), { numRuns: 30 });
  }, 120_000);
});

describe("limits of one instance", () => {
  let app: App;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    app = await startTestApp({
      env: {
        WEB_SESSIONS_PER_ADDRESS: "5", WEB_SESSIONS_PER_MINUTE: "12", TRUST_PROXY: "1",
        SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef", SLACK_API_URL: slack.apiUrl, SLACK_CHANNELS: "*=C0ALL",
      },
    });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await ifAssigned(slack)?.close();
  });

  it("limits new web chat sessions per client address (behind a trusted proxy) and per instance", async () => {
    const from = (ip: string) => ({ "x-forwarded-for": `203.0.113.50, ${ip}` });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await createSession(app, from("198.51.100.1"))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    // Another address is not held back by the first one's limit…
    expect((await createSession(app, from("198.51.100.2"))).status).toBe(201);
    // …but the instance as a whole is (12 per minute here).
    const more = [];
    for (let i = 3; i < 12; i++) more.push((await createSession(app, from(`198.51.100.${i}`))).status);
    expect(more.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(more.filter((s) => s === 201).length).toBe(6);
  });

  it("limits every body, with 413, before reading it", async () => {
    const big = (n: number): string => JSON.stringify({ text: "x".repeat(n) });
    const paths: [string, number][] = [["/api/chat/sessions", 70_000], ["/api/staff/login", 5_000], ["/api/staff/tickets/1/reply", 70_000], ["/slack/events", 1_100_000], ["/telegram/webhook", 1_100_000]];
    for (const [p, size] of paths) {
      const res = await fetch(`${app.url}${p}`, { method: "POST", headers: json, body: big(size) });
      expect(res.status, p).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    }
  });

  it("keeps its memory when many large bodies arrive at once without a length", async () => {
    const before = process.memoryUsage().rss;
    const chunk = new Uint8Array(1024 * 1024).fill(120);
    const post = async (): Promise<number> => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ >= 40) controller.close();
          else controller.enqueue(chunk);
        },
      });
      try {
        const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: json, body, duplex: "half" });
        return res.status;
      } catch {
        return 0;
      }
    };
    const statuses = await Promise.all(Array.from({ length: 16 }, post));
    expect(statuses.every((s) => s === 413 || s === 0)).toBe(true);
    expect(statuses.filter((s) => s === 413).length).toBeGreaterThan(0);
    // 16 × 40 MB were offered; what was kept is far less.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it("forgets the least recently seen keys one by one, never every window at once", () => {
    const limiter = new RateLimiter(3, 60_000, 100);
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect(limiter.allow("busy", now)).toBe(true);
    expect(limiter.allow("busy", now)).toBe(false);
    for (let i = 0; i < 10_000; i++) {
      limiter.allow(`k${i}`, now);
      if (i % 50 === 0) expect(limiter.allow("busy", now)).toBe(false);
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.allow("busy", now)).toBe(false);
    // The window slides: after a minute the count fades out.
    expect(limiter.allow("busy", now + 120_000)).toBe(true);
  });
});

describe("Conversation.handle on arbitrary input (fast-check)", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("never throws, whatever the resident sends", () => {
    const conversation = app.conversation();
    const input: fc.Arbitrary<Input> = fc.oneof(
      fc.record({ kind: fc.constant("text" as const), text: fc.string({ unit: "binary", maxLength: 600 }), edited: fc.boolean() }),
      fc.record({ kind: fc.constant("button" as const), id: fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.constantFrom("rate:1:5", "rate:0:9", "ticket:end", "forget:yes", "intake:yes", "parish:zzz", "f:x:y:done", "lang:xx", "flow:unknown")) }),
      fc.record({ kind: fc.constant("command" as const), name: fc.constantFrom("start", "menu", "forget", "person", "language", "help", "nope"), arg: fc.string({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant("media" as const), media: fc.constantFrom("voice", "photo", "sticker", "document", "other" as const) }),
      fc.record({ kind: fc.constant("contact" as const), phone: fc.string({ maxLength: 20 }) }),
    );
    fc.assert(fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), fc.constantFrom("lv", "ru", "en"), (inputs, lang) => {
      let state = NEW_SESSION;
      for (const i of inputs) {
        const result = conversation.handle(state, i, { lang: isLang(lang) ? lang : "lv" });
        expect(Array.isArray(result.replies)).toBe(true);
        state = result.state;
      }
    }), { numRuns: 300 });
  });
});
