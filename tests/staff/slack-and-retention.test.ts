import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeOldData } from "../../src/store/retention.js";
import { FakeSlack } from "../support/fake-slack.js";
import { startTestApp } from "../support/app.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
const SECRET = "0123456789abcdef0123456789abcdef";

async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function webResident(app: App): Promise<{ id: string; token: string; send(body: unknown): Promise<{ replies: { text: string; buttons: { id: string }[] }[] }> }> {
  const { id, token } = (await (await fetch(`${app.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  return {
    id, token,
    send: async (body) => (await (await fetch(`${app.url}/api/chat/sessions/${id}/messages`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json()) as never,
  };
}

describe("Slack for staff (local fake Slack API)", () => {
  let app: App;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    app = await startTestApp({
      env: { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_CHANNELS: "cenu-ozolnieku=C0OZOL,jelgava=C0JELG" },
    });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"], slackUserId: "UANNA" });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await ifAssigned(slack)?.close();
  });

  it("announces a new ticket in its centre's channel once, even when Slack was down at first", async () => {
    slack.failNext("chat.postMessage", 2, "network");
    const resident = await webResident(app);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", parish: "ozolnieku", question: "Kā pieteikt e-rēķinu? kods 010190-12345", context: { reason: "askedForPerson" } });
    const posted = await until(() => slack.messages.find((m) => JSON.stringify(m).includes(ticket.number)), "the announcement");
    expect(posted).toMatchObject({ channel: "C0OZOL" });
    expect(JSON.stringify(posted)).not.toContain("010190-12345");
    await until(async () => (await app.outbox.pending()) === 0 || undefined, "the outbox to drain");
    expect(slack.messages.filter((m) => JSON.stringify(m).includes(ticket.number))).toHaveLength(1);
  });

  it("lets an agent claim in Slack and answer the resident from the thread", async () => {
    const resident = await webResident(app);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", parish: "ozolnieku", question: "Palīdziet ar e-adresi", context: { reason: "askedForPerson" } });
    const posted = await until(() => slack.messages.find((m) => JSON.stringify(m).includes(ticket.number)), "the announcement");
    const ts = (posted as { ts: string }).ts;
    const url = `${app.url}/slack/events`;
    expect((await slack.sendAction(url, SECRET, { user: "UANNA", actionId: "ticket_claim", value: String(ticket.id), channel: "C0OZOL", messageTs: ts })).status).toBe(200);
    await until(async () => (await app.desk.summary(ticket.id))?.status === "assigned" || undefined, "the claim");
    expect((await slack.sendThreadMessage(url, SECRET, { user: "UANNA", channel: "C0OZOL", threadTs: ts, text: "Labdien, palīdzēšu!", eventId: "Ev1" })).status).toBe(200);
    const history = async (): Promise<string[]> => ((await (await fetch(`${app.url}/api/chat/sessions/${resident.id}`, { headers: { authorization: `Bearer ${resident.token}` } })).json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
    await until(async () => (await history()).some((t) => t.includes("Labdien, palīdzēšu!")) || undefined, "the reply to reach the resident");
    expect((await slack.sendWithBadSignature(url)).status).toBe(401);
  });
});

describe("the retention job", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("deletes transcripts and closed tickets older than the retention period, and keeps newer ones", async () => {
    const resident = await webResident(app);
    await resident.send({ text: "paldies" });
    const old = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", question: "Vecs", context: { reason: "askedForPerson" } });
    const recent = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", question: "Jauns", context: { reason: "askedForPerson" } });
    const pool = (app.store as unknown as { pool: import("pg").Pool }).pool;
    await pool.query("UPDATE tickets SET status = 'closed', closed_at = now() - interval '100 days' WHERE id = $1", [old.id]);
    await pool.query("UPDATE tickets SET status = 'closed', closed_at = now() - interval '10 days' WHERE id = $1", [recent.id]);
    const id = (await app.store.resident("web", resident.id)).id;
    await pool.query("UPDATE turns SET created_at = now() - interval '100 days' WHERE resident_id = $1 AND direction = 'in'", [id]);
    const result = await purgeOldData(pool, 90);
    expect(result.tickets).toBe(1);
    expect(result.turns).toBeGreaterThanOrEqual(2);
    expect(await app.desk.summary(old.id)).toBeUndefined();
    expect(await app.desk.summary(recent.id)).toBeDefined();
    expect((await app.store.transcript(id)).every((t) => t.direction === "out")).toBe(true);
  });
});
