/**
 * Telegram answering 5xx for longer than the retry budget, with the app as its own process (as the
 * Dockerfile starts it): the process stays up, every reply reaches the resident once and in order
 * after Telegram recovers, and nothing on stdout/stderr shows the bot token, the resident's name
 * or their personal code.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { PG_URL, postgresAvailable } from "../support/databases.js";
import { reportFault } from "../support/fault-report.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { freePort } from "../support/ports.js";
import { ifAssigned, must } from "../support/must.js";

const server = await postgresAvailable();


describe.skipIf(!server).each(["polling", "webhook"] as const)("Telegram failing with 5xx for longer than the retry budget (%s)", (mode) => {
  let fake: FakeTelegram;
  let app: AppProcess;
  const schema = `tgoutage_${mode}_${process.pid}_${Date.now()}`;
  const chat = 7001;
  const user = { first_name: "Jānis", last_name: "Bērziņš", username: "janis_berzins_1950" };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    fake = await FakeTelegram.start({ token: `${7_000_000_000 + Math.floor(Math.random() * 1e6)}:${randomBytes(24).toString("base64url")}` });
    const port = await freePort();
    app = startAppProcess({
      DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_RETRY_SECONDS: "2",
      PORT: String(port),
      ...(mode === "webhook" ? { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook` } : {}),
    });
    await app.waitFor(new RegExp(`channels running: .*telegram \\(${mode}\\)`), 60_000);
  }, 90_000);
  afterAll(async () => {
    ifAssigned(app)?.kill("SIGTERM");
    await ifAssigned(app)?.exited();
    await ifAssigned(fake)?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }, 30_000);

  it("keeps the process up, then delivers every reply once and in order, and never prints secrets or personal data", async () => {
    fake.sendText(chat, "/start", { from: user });
    await fake.waitForMessages(chat, 2, 20_000);
    const before = fake.messages(chat).length;

    fake.startOutage({ methods: ["sendMessage"], error: { error_code: 502, description: "Bad Gateway" } });
    fake.sendText(chat, "Mans personas kods ir 010190-12345, kā deklarēt dzīvesvietu?", { from: user });
    // Past the 2 s budget of the update (the reply waits in the outbox), and several outbox retries.
    await app.waitFor(/could not send a reply in time/, 30_000);
    await expect.poll(() => (app.output().match(/outbox work failed/g) ?? []).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(app.child.exitCode).toBeNull();
    expect(fake.messages(chat).length).toBe(before);
    expect(fake.calls("sendMessage").filter((c) => !c.ok).length).toBeGreaterThan(2);
    fake.endOutage();
    const recovered = Date.now();

    // The queued answer arrives after recovery; a new message is answered after it, not before.
    const [answer] = (await fake.waitForMessages(chat, before + 1, 30_000)).slice(before);
    const answeredAfter = Date.now() - recovered;
    expect(answer?.plainText).toMatch(/dzīvesviet|deklar/i);
    const next = fake.messages(chat).length;
    fake.sendText(chat, "paldies", { from: user });
    await fake.waitForMessages(chat, next + 1, 20_000);
    // One more message is the barrier: answered in order, it comes after any second copy.
    fake.sendText(chat, "/help", { from: user });
    await fake.waitForMessages(chat, next + 2, 20_000);
    const texts = fake.messages(chat).slice(before).map((m) => m.plainText);
    // Each reply once: no text repeated.
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts[0]).toBe(answer?.plainText);
    expect(app.child.exitCode).toBeNull();

    const output = app.output();
    expect(output).toMatch(/could not send a reply in time|outbox work failed/);
    expect(output).not.toContain(fake.token);
    expect(output).not.toContain(must(fake.token.split(":")[1], "the secret part of the token"));
    expect(output).not.toMatch(/010190-?12345/);
    expect(output).not.toMatch(/Jānis|Bērziņš|janis_berzins/);
    reportFault(`Telegram sendMessage 502 past the 2 s budget and two outbox retries (${mode})`, `the answer came ${(answeredAfter / 1000).toFixed(1)} s after Telegram recovered (from the outbox), before the next answer; ${fake.calls("sendMessage").filter((c) => !c.ok).length} failed sends; process up, no token or personal data on stderr`, "0 lost, 0 doubled");
  }, 90_000);
});
