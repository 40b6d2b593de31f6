import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.js";
import type { TicketEvent } from "../../src/staff/types.js";
import { FakeSlack } from "../support/fake-slack.js";
import { startTestApp } from "../support/app.js";
import { PG_URL, postgresAvailable } from "../support/databases.js";
import { ifAssigned, must } from "../support/must.js";

const URL = PG_URL;
const SECRET = "0123456789abcdef0123456789abcdef";
const available = await postgresAvailable();
type App = Awaited<ReturnType<typeof startTestApp>>;

describe.runIf(available)("two app instances on one PostgreSQL server", () => {
  const schema = `two_${process.pid}_${Date.now()}`;
  let dbs: Database[] = [];
  let a: App;
  let b: App;
  let slack: FakeSlack;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    slack = await FakeSlack.start();
    dbs = [await openDatabase({ kind: "postgres", url: URL, schema }), await openDatabase({ kind: "postgres", url: URL, schema })];
    const env = { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_CHANNELS: "cenu-ozolnieku=C0OZOL,jelgava=C0JELG" };
    [a, b] = await Promise.all([startTestApp({ database: dbs[0], env }), startTestApp({ database: dbs[1], env })]);
    await a.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    await a.staffAccounts.add({ username: "peteris", password: "yet another password", displayName: "Pēteris", role: "agent", centres: ["cenu-ozolnieku"] });
  }, 90_000);

  afterAll(async () => {
    await ifAssigned(a)?.close();
    await ifAssigned(b)?.close();
    await ifAssigned(slack)?.close();
    await dbs[0]?.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    for (const db of dbs) await db.close();
  });

  it("tells both instances about a ticket opened on one (LISTEN/NOTIFY) and announces it once", async () => {
    const seen: TicketEvent[] = [];
    const unsubscribe = b.desk.subscribe((e) => seen.push(e));
    const { id } = (await (await fetch(`${a.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string };
    const tickets = await Promise.all(Array.from({ length: 5 }, (_, i) => a.desk.createTicket({ channel: "web", chatId: id, lang: "lv", parish: "ozolnieku", question: `Jautājums ${i}`, context: { reason: "askedForPerson" } })));
    const deadline = Date.now() + 8000;
    while ((seen.filter((e) => e.type === "created").length < 5 || (await a.outbox.pending()) > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    unsubscribe();
    expect(seen.filter((e) => e.type === "created").map((e) => e.ticketId).sort()).toEqual(tickets.map((t) => t.id).sort());
    for (const t of tickets) expect(slack.messages.filter((m) => !m.threadTs && JSON.stringify(m).includes(t.number))).toHaveLength(1);
  });

  it("lets exactly one claim win when two agents on two instances race", async () => {
    const { id } = (await (await fetch(`${a.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string };
    const staffA = (await a.staffAccounts.login("anna", "correct horse battery"));
    const staffB = (await b.staffAccounts.login("peteris", "yet another password"));
    if (!staffA.ok || !staffB.ok) throw new Error("login failed");
    for (let round = 0; round < 5; round++) {
      const ticket = await a.desk.createTicket({ channel: "web", chatId: id, lang: "lv", parish: "ozolnieku", question: `Sacensības ${round}`, context: { reason: "askedForPerson" } });
      const results = await Promise.allSettled([a.desk.claim(staffA.staff, ticket.id), b.desk.claim(staffB.staff, ticket.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = must(results.find((r): r is PromiseRejectedResult => r.status === "rejected"), "the losing claim");
      expect((loser.reason as { code: string }).code).toBe("already_claimed");
    }
  });

  it("keeps one resident's messages in order when they arrive at both instances", async () => {
    const { id } = (await (await fetch(`${a.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string };
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? a : b;
      await app.service.handle("web", id, { kind: "text", text: `ziņa ${i}` });
    }
    const resident = await a.store.resident("web", id);
    const inbound = (await a.store.transcript(resident.id)).filter((t) => t.direction === "in" && t.text.startsWith("ziņa")).map((t) => t.text);
    expect(inbound).toEqual(["ziņa 0", "ziņa 1", "ziņa 2", "ziņa 3", "ziņa 4", "ziņa 5"]);
  });
});
