import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeOldData } from "../../src/store/retention.js";
import { FakeSpeechServer } from "../support/fake-openai.js";
import { FakeSlack } from "../support/fake-slack.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { startTestApp } from "../support/app.js";
import { spokenAudio } from "../support/speech-audio.js";
import { telegramOptions } from "../support/telegram-app.js";
import { ifAssigned, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const LV = "Vai varat man piezvanīt rīt no rīta?";
interface TicketMessage { author: string; text: string; attachment?: { kind: string; url: string } }

/** Walks a web chat resident through the intake to a ticket they now talk to. */
async function escalate(app: App): Promise<{ id: string; token: string; ticketId: number }> {
  const created = (await (await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { id: string; token: string };
  const press = (button: string) => fetch(`${app.url}/api/chat/sessions/${created.id}/messages`, {
    method: "POST", headers: { authorization: `Bearer ${created.token}`, "content-type": "application/json" }, body: JSON.stringify({ button }),
  });
  await fetch(`${app.url}/api/chat/sessions/${created.id}/messages`, {
    method: "POST", headers: { authorization: `Bearer ${created.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: "Kā saņemt e-rēķinu par ūdeni?" }),
  });
  for (const id of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes", "question:keep"]) await press(id);
  const resident = await app.store.resident("web", created.id);
  const { rows } = await app.database.pool.query<{ id: string }>("SELECT id FROM tickets WHERE resident_id = $1", [resident.id]);
  return { ...created, ticketId: Number(rows[0]?.id) };
}

describe("voice messages in tickets", () => {
  let speech: FakeSpeechServer;
  let slack: FakeSlack;
  let telegram: FakeTelegram;
  let app: App;
  let note: Buffer;
  let cookie: string;

  beforeAll(async () => {
    [speech, slack, telegram, note] = await Promise.all([FakeSpeechServer.start(), FakeSlack.start({ token: "xoxb-test" }), FakeTelegram.start(), spokenAudio(LV, "lv", "webm")]);
    speech.learn(note, LV);
    app = await startTestApp({
      telegram: telegramOptions(telegram),
      env: { STT_BASE_URL: speech.url, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "0123456789abcdef0123", SLACK_API_URL: slack.apiUrl, SLACK_CHANNELS: "*=C0VOICE" },
    });
    await app.staffAccounts.add({ username: "anna-voice", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    const login = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "anna-voice", password: "correct horse battery" }) });
    cookie = sessionCookie(login);
  }, 90_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await Promise.all([ifAssigned(speech)?.close(), ifAssigned(slack)?.close(), ifAssigned(telegram)?.close()]);
  });

  async function messages(ticketId: number): Promise<TicketMessage[]> {
    const detail = (await (await fetch(`${app.url}/api/staff/tickets/${ticketId}`, { headers: { cookie } })).json()) as { ticket: { messages: TicketMessage[] } };
    return detail.ticket.messages;
  }

  it("gives staff the transcript and a player for a web chat voice message, and Slack the transcript", async () => {
    const s = await escalate(app);
    const sent = await fetch(`${app.url}/api/chat/sessions/${s.id}/voice`, { method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "audio/webm" }, body: note });
    const body = (await sent.json()) as { replies: { text: string }[] };
    expect(body.replies[0]?.text).toBe(`🎤 Sapratu: «${LV}»`);
    const voice = (await messages(s.ticketId)).find((m) => m.attachment?.kind === "voice");
    expect(voice?.text).toBe(`🎤 ${LV}`);
    const audio = await fetch(`${app.url}${voice?.attachment?.url}`, { headers: { cookie } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/webm");
    expect(Buffer.from(await audio.arrayBuffer()).equals(note)).toBe(true);
    // Access-checked like photos.
    expect((await fetch(`${app.url}${voice?.attachment?.url}`)).status).toBe(401);
    await expect.poll(() => slack.calls("chat.postMessage").some((c) => String(c.params.text).includes(LV)), { timeout: 10_000 }).toBe(true);
  });

  it("keeps the voice message for staff when it could not be transcribed (nothing lost)", async () => {
    const s = await escalate(app);
    speech.fail("transcriptions", { kind: "status", status: 500 }, 2);
    const body = (await (await fetch(`${app.url}/api/chat/sessions/${s.id}/voice`, { method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "audio/webm" }, body: note })).json()) as { replies: { text: string }[] };
    expect(body.replies.map((r) => r.text).join(" ")).not.toMatch(/Sapratu/);
    const voice = (await messages(s.ticketId)).find((m) => m.attachment?.kind === "voice");
    expect(voice?.text).toBe("[voice]");
    expect((await fetch(`${app.url}${voice?.attachment?.url}`, { headers: { cookie } })).status).toBe(200);
  });

  it("plays a Telegram voice note from Telegram itself, with its type", async () => {
    const chat = 901;
    const ogg = await spokenAudio(LV, "lv", "ogg");
    speech.learn(ogg, LV);
    // The intake, as the resident's presses would run it.
    const press = (id: string) => app.service.handle("telegram", String(chat), { kind: "button", id });
    await app.service.handle("telegram", String(chat), { kind: "text", text: "Kā saņemt e-rēķinu par ūdeni?" });
    for (const id of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes", "question:keep"]) await press(id);
    const resident = await app.store.resident("telegram", String(chat));
    const ticket = { id: Number((await app.database.pool.query<{ id: string }>("SELECT id FROM tickets WHERE resident_id = $1", [resident.id])).rows[0]?.id) };
    const before = telegram.messages(chat).length;
    telegram.sendVoice(chat, { data: ogg, duration: 3 });
    await telegram.waitForMessages(chat, before + 1, 15_000);
    let voice: TicketMessage | undefined;
    await expect.poll(async () => {
      voice = (await messages(ticket.id)).find((m) => m.attachment?.kind === "voice");
      return voice !== undefined;
    }, { timeout: 10_000 }).toBe(true);
    expect(voice?.text).toBe(`🎤 ${LV}`);
    const audio = await fetch(`${app.url}${voice?.attachment?.url}`, { headers: { cookie } });
    expect(audio.headers.get("content-type")).toBe("audio/ogg");
    expect(Buffer.from(await audio.arrayBuffer()).equals(ogg)).toBe(true);
  });

  it("deletes kept recordings on /forget and a week after the ticket closed", async () => {
    const count = async (): Promise<number> => Number((await app.database.pool.query<{ n: string }>("SELECT count(*) AS n FROM voice_clips")).rows[0]?.n);
    const a = await escalate(app);
    const b = await escalate(app);
    for (const s of [a, b]) {
      await fetch(`${app.url}/api/chat/sessions/${s.id}/voice`, { method: "POST", headers: { authorization: `Bearer ${s.token}`, "content-type": "audio/webm" }, body: note });
    }
    const kept = await count();
    // a: /forget.
    for (const button of [undefined, "forget:yes"]) {
      await fetch(`${app.url}/api/chat/sessions/${a.id}/messages`, {
        method: "POST", headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" }, body: JSON.stringify(button ? { button } : { text: "/forget" }),
      });
    }
    expect(await count()).toBe(kept - 1);
    // b: closed eight days ago; the ticket itself is still within the retention period.
    await app.database.pool.query("UPDATE tickets SET status = 'closed', closed_at = now() - interval '8 days' WHERE id = $1", [b.ticketId]);
    await purgeOldData(app.database.pool, 90);
    expect(await count()).toBe(kept - 2);
    expect((await app.database.pool.query("SELECT 1 FROM tickets WHERE id = $1", [b.ticketId])).rowCount).toBe(1);
  });
});
