import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PRESENCE_WINDOW_MS, StaffPresenceTracker } from "../../src/staff/presence.js";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { ifAssigned, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const targets = await databaseTargets("presence");
/** Any time of day, as a clock in Riga or in UTC shows it: 9:30, 17.00, 08:30. */
const CLOCK = /\b\d{1,2}[:.]\d{2}\b/;

/** Walks a web-chat resident through the intake to a new ticket and returns the bot's last message. */
async function escalate(app: App, chatId: string, lang: "lv" | "en" = "lv"): Promise<string> {
  const press = (id: string) => app.service.handle("web", chatId, { kind: "button", id });
  await app.service.handle("web", chatId, { kind: "text", text: lang === "lv" ? "Kā saņemt e-rēķinu par ūdeni?" : "How do I get e-invoices for water?" });
  for (const id of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes"]) await press(id);
  const done = await press("question:keep");
  return done.replies.at(-1)?.text ?? "";
}

async function login(app: App, username: string, password: string): Promise<string> {
  const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return sessionCookie(res);
}

describe.each(targets)("staff presence on $name", (target) => {
  let db: Database;
  let tracker: StaffPresenceTracker;
  let clock = 0;
  beforeAll(async () => {
    db = await target.open();
    const { migrate } = await import("../../src/store/migrate.js");
    await migrate(db.pool);
    tracker = new StaffPresenceTracker(db.pool, { now: () => clock });
    await db.pool.query(`INSERT INTO staff (username, display_name, password_hash, role, centres, active) VALUES
      ('p-anna', 'Anna', 'x', 'agent', '{cenu-ozolnieku}', true),
      ('p-juris', 'Juris', 'x', 'agent', '{jelgava}', true),
      ('p-admin', 'Admin', 'x', 'admin', '{}', true),
      ('p-gone', 'Gone', 'x', 'agent', '{eleja}', false)`);
  }, 60_000);
  afterAll(async () => {
    if (ifAssigned(db)) await target.drop(db);
  });
  const idOf = async (username: string): Promise<number> =>
    Number((await db.pool.query<{ id: string }>("SELECT id FROM staff WHERE username = $1", [username])).rows[0]?.id);
  const setSeen = (username: string, msAgo: number | null) =>
    db.pool.query("UPDATE staff SET last_seen_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() - ($2::int * interval '1 millisecond') END WHERE username = $1", [username, msAgo]);

  it("counts nobody as online before any sign of them", async () => {
    expect(await tracker.online("cenu-ozolnieku")).toEqual({ online: false });
  });

  it("counts an agent as online for their own centres only, within the window", async () => {
    await tracker.touch(await idOf("p-anna"));
    expect(await tracker.online("cenu-ozolnieku")).toEqual({ online: true });
    expect(await tracker.online("jelgava")).toEqual({ online: false });
    await setSeen("p-anna", PRESENCE_WINDOW_MS - 30_000);
    expect((await tracker.online("cenu-ozolnieku")).online).toBe(true);
    await setSeen("p-anna", PRESENCE_WINDOW_MS + 30_000);
    expect((await tracker.online("cenu-ozolnieku")).online).toBe(false);
  });

  it("counts an admin for every centre and an inactive account for none", async () => {
    await tracker.touch(await idOf("p-gone"));
    expect((await tracker.online("eleja")).online).toBe(false);
    await tracker.touch(await idOf("p-admin"));
    expect((await tracker.online("eleja")).online).toBe(true);
    await setSeen("p-admin", null);
  });

  it("writes a sign at most once a minute per member of staff", async () => {
    const juris = await idOf("p-juris");
    clock = 1_000_000;
    tracker.seen(juris);
    await expect.poll(async () => (await tracker.online("jelgava")).online).toBe(true);
    await setSeen("p-juris", PRESENCE_WINDOW_MS + 1000);
    const touch = vi.spyOn(tracker, "touch");
    clock += 30_000;
    tracker.seen(juris);
    // Throttled: no write was started (seen() starts it before it returns).
    expect(touch).not.toHaveBeenCalled();
    expect((await tracker.online("jelgava")).online).toBe(false);
    clock += 31_000;
    tracker.seen(juris);
    expect(touch).toHaveBeenCalledTimes(1);
    touch.mockRestore();
    await expect.poll(async () => (await tracker.online("jelgava")).online).toBe(true);
  });
});

describe("what a resident who asks for a person is told (unconfirmed hours)", () => {
  let app: App;
  let now = new Date("2026-11-23T11:00:00+02:00");
  beforeAll(async () => {
    app = await startTestApp({ now: () => now });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    await app.staffAccounts.add({ username: "juris", password: "another long password", displayName: "Juris", role: "agent", centres: ["jelgava"] });
    await app.staffAccounts.add({ username: "maija", password: "a third long password", displayName: "Maija", role: "agent", centres: ["cenu-ozolnieku"] });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
  });

  it("on a working day with nobody online: no clock time, no 'open now', the information line", async () => {
    // Juris is online, but he answers another centre.
    await login(app, "juris", "another long password");
    const text = await escalate(app, "wd-nobody");
    expect(text).toMatch(/Pieteikuma numurs: JN-\d{6}/);
    expect(text).not.toMatch(CLOCK);
    expect(text).not.toMatch(/atvērts|slēgts|strādās/);
    expect(text).toContain("Šobrīd neviens centra darbinieks nav tiešsaistē.");
    expect(text).toContain("Klientu centra darba laiks nav apstiprināts. To var uzzināt pa pašvaldības informatīvo tālruni 63022238.");
    const en = await escalate(app, "wd-nobody-en", "en");
    expect(en).toMatch(/Your question has been passed on to the Cenas and Ozolnieki joint parish office\. Request number: JN-\d{6}\./);
    expect(en).not.toMatch(CLOCK);
    expect(en).not.toMatch(/open now|closes|opens/i);
  });

  it("says that a person is online while an agent of the centre has the console open", async () => {
    const cookie = await login(app, "anna", "correct horse battery");
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/staff/events`, { headers: { cookie }, signal: controller.signal });
    expect(res.status).toBe(200);
    try {
      const text = await escalate(app, "wd-online");
      expect(text).toContain("Šobrīd tiešsaistē ir kāds no centra darbiniekiem.");
      expect(text).not.toMatch(CLOCK);
      expect(text).not.toContain("nav tiešsaistē");
    } finally {
      controller.abort();
    }
  });

  it("on a public holiday says so and that staff usually answer on working days", async () => {
    now = new Date("2026-12-24T10:00:00+02:00");
    // Anna left more than five minutes ago.
    await app.database.pool.query("UPDATE staff SET last_seen_at = now() - interval '6 minutes'");
    const text = await escalate(app, "holiday");
    expect(text).toContain("Šodien ir svētku diena (Ziemassvētku vakars). Darbinieki parasti atbild darba dienās.");
    expect(text).toContain("Šobrīd neviens centra darbinieks nav tiešsaistē.");
    expect(text).not.toMatch(CLOCK);
    expect(text).not.toMatch(/atvērts|slēgts|strādās|pirmdien/);
  });

  it("at the weekend says which day it is, and that someone is online when an agent acted in the console", async () => {
    now = new Date("2026-11-21T11:00:00+02:00");
    const cookie = await login(app, "maija", "a third long password");
    expect((await fetch(`${app.url}/api/staff/tickets?status=waiting`, { headers: { cookie } })).status).toBe(200);
    const text = await escalate(app, "weekend");
    expect(text).toContain("Šodien ir sestdiena. Darbinieki parasti atbild darba dienās. Tomēr šobrīd tiešsaistē ir kāds no centra darbiniekiem.");
    expect(text).not.toMatch(CLOCK);
  });
});
