/**
 * Delivery to residents stays exactly once and in order: after a Telegram outage the resident
 * gets every staff message in the order it was written; a job with several messages that fails
 * half-way sends and stores each message once; a refusal for good (the resident blocked the bot)
 * is not retried but shown to staff on the ticket; and two instances sharing the outbox never
 * let a later message overtake an earlier one.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { PG_URL, postgresAvailable } from "../support/databases.js";
import type { FakeTelegram } from "../support/fake-telegram.js";
import { telegramSuite } from "../support/telegram-app.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

describe("staff messages to a Telegram resident", () => {
  const telegram = telegramSuite();
  let fake: FakeTelegram;
  let app: App;
  let admin: Awaited<ReturnType<App["staffAccounts"]["add"]>>;
  beforeAll(async () => {
    fake = telegram.fake();
    app = telegram.app();
    admin = await app.staffAccounts.add({ username: "outbox-admin", password: "correct horse battery", displayName: "Anna", role: "admin" });
  });

  const ticketFor = async (chat: number) => {
    fake.sendText(chat, "/start");
    await fake.waitForMessages(chat, 2);
    return app.desk.createTicket({ channel: "telegram", chatId: String(chat), lang: "lv", question: "Palīdziet ar deklarāciju", context: { reason: "askedForPerson" } });
  };
  const texts = (chat: number, from: number): string[] => fake.messages(chat).slice(from).map((m) => m.plainText);
  /** The refused sendMessage calls to a chat. */
  const refused = (chat: number) => fake.calls("sendMessage").filter((c) => !c.ok && String(c.params.chat_id) === String(chat)).length;
  /** Waits until every job is done or failed: nothing more will be sent. */
  const drained = () => expect.poll(() => app.outbox.pending(), { timeout: 15_000 }).toBe(0);

  it("delivers everything written during an outage once, in the order it was written", async () => {
    const chat = 9001;
    const ticket = await ticketFor(chat);
    const before = fake.messages(chat).length;
    fake.startOutage({ methods: ["sendMessage"] });
    await app.desk.claim(admin, ticket.id);
    for (const n of [1, 2, 3]) await app.desk.reply(admin, ticket.id, `Atbilde R${n}`);
    await app.desk.close(admin, ticket.id, "Atbildēts");
    // Several rounds of failed attempts with backoff, and nothing delivered meanwhile.
    await expect.poll(() => refused(chat), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(fake.messages(chat).length).toBe(before);
    fake.endOutage();
    await fake.waitForMessages(chat, before + 6, 15_000);
    await drained();
    const got = texts(chat, before);
    expect(got).toHaveLength(6);
    expect(got[0]).toMatch(/pievienojās/);
    expect(got.slice(1, 4).map((t) => t.split("\n").at(-1))).toEqual(["Atbilde R1", "Atbilde R2", "Atbilde R3"]);
    expect(got[4]).toMatch(/aizvēra/);
    expect(got[5]).toMatch(/Cik apmierināts/);
    expect(await app.outbox.pending()).toBe(0);
  }, 60_000);

  it("sends and stores each message of a job once when the job fails half-way", async () => {
    const chat = 9002;
    const ticket = await ticketFor(chat);
    await app.desk.claim(admin, ticket.id);
    await fake.waitForMessages(chat, fake.messages(chat).length + 1);
    const before = fake.messages(chat).length;
    // The rating question (the job's second message) fails once, right after "closed" went out.
    const off = fake.onMessage((c, m) => {
      if (c === chat && m.plainText.includes("aizvēra")) fake.failNext("sendMessage", 1, { error_code: 500, description: "Internal Server Error" });
    });
    await app.desk.close(admin, ticket.id, "Atbildēts");
    await fake.waitForMessages(chat, before + 2, 15_000);
    await drained();
    off();
    const got = texts(chat, before);
    expect(got.filter((t) => t.includes("aizvēra"))).toHaveLength(1);
    expect(got.filter((t) => t.includes("Cik apmierināts"))).toHaveLength(1);
    expect(refused(chat)).toBe(1);
    const resident = await app.store.resident("telegram", String(chat));
    const stored = (await app.store.transcript(resident.id)).filter((t) => /aizvēra|Cik apmierināts/.test(t.text));
    expect(stored).toHaveLength(2);
  }, 60_000);

  it("stops on a refusal for good (the resident blocked the bot) and tells staff on the ticket", async () => {
    const chat = 9003;
    const ticket = await ticketFor(chat);
    fake.setBlocked(chat);
    await app.desk.claim(admin, ticket.id);
    await app.desk.reply(admin, ticket.id, "Vai Jūs vēl esat šeit?");
    const failed = async () => (await app.database.pool.query<{ attempts: number; last_error: string }>(
      "SELECT attempts, last_error FROM outbox WHERE failed_at IS NOT NULL AND (payload->>'ticketId')::bigint = $1 ORDER BY id", [ticket.id])).rows;
    await expect.poll(async () => (await failed()).length, { timeout: 10_000 }).toBe(2);
    // Failed for good (never taken again): one attempt each, and nothing pending.
    expect((await failed()).map((r) => r.attempts)).toEqual([1, 1]);
    expect((await failed())[0]?.last_error).toMatch(/blocked/i);
    expect(await app.outbox.pending()).toBe(0);
    const detail = await app.desk.get(admin, ticket.id);
    expect(detail.messages.some((m) => m.author === "system" && m.text.includes("neizdevās"))).toBe(true);
  }, 60_000);
});

const available = await postgresAvailable();

describe.runIf(available)("two instances sharing one outbox", () => {
  const schema = `outboxorder_${process.pid}_${Date.now()}`;
  let dbs: Database[] = [];
  let a: App;
  let b: App;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    dbs = [await openDatabase({ kind: "postgres", url: PG_URL, schema }), await openDatabase({ kind: "postgres", url: PG_URL, schema })];
    a = await startTestApp({ database: dbs[0] });
    b = await startTestApp({ database: dbs[1] });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(b)?.close();
    await ifAssigned(a)?.close();
    await dbs[0]?.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    for (const db of dbs) await db.close();
  });

  it("never lets a later message to a resident overtake an earlier one", async () => {
    const res = await fetch(`${a.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const session = (await res.json()) as { id: string };
    const ticket = await a.desk.createTicket({ channel: "web", chatId: session.id, lang: "lv", question: "Palīdziet", context: { reason: "askedForPerson" } });
    const admin = await a.staffAccounts.add({ username: "order-admin", password: "correct horse battery", displayName: "Anna", role: "admin" });
    await a.outbox.stop();
    await b.outbox.stop();
    await a.desk.claim(admin, ticket.id);
    for (let n = 1; n <= 20; n++) await a.desk.reply(admin, ticket.id, `R${n}`);
    a.outbox.start();
    b.outbox.start();
    const resident = await a.store.resident("web", session.id);
    await expect.poll(async () => (await a.outbox.pending()), { timeout: 20_000 }).toBe(0);
    const events = await a.service.webEvents(resident.id, 0);
    const got = events.flatMap((e) => (e.payload as { replies: { text: string }[] }).replies.map((r) => r.text.split("\n").at(-1)));
    expect(got.filter((t) => /^R\d+$/.test(t ?? ""))).toEqual(Array.from({ length: 20 }, (_, i) => `R${i + 1}`));
  }, 60_000);
});
