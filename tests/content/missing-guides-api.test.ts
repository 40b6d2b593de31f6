/**
 * The to-do list of missing guides ("Vajag jaunu instrukciju") and the handled groups of the
 * unanswered report, through the staff API, on PGlite and the PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { StaffClient } from "../support/staff-client.js";
import { ifAssigned, must } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface Item { id: number; question: string; lang: string; examples: string[]; by: string; done: { guideId: string; by: string } | null; answersNow: { guideId: string | null; answered: number; of: number } }
interface ReportGroup { question: string; count: number; handled?: { action: string; by: string; guideId: string | null; guideTitle: string | null; answersNow: { guideId: string | null; title: string | null }; resolved: boolean } }

const TAUGHT = "kā pieteikt suni dzīvnieku reģistrā";
const DISMISSED = "cik maksā suņa čipošana";
const NEEDED = "kur var nopirkt makšķerēšanas karti";
const OPEN = "kā pieteikties uz makšķernieku sacensībām ziemā";

const targets = await databaseTargets("missing_guides");

describe.each(targets)("missing guides and handled groups on $name", (target) => {
  let db: Database;
  let app: App;
  let ieva: StaffClient;
  let anna: StaffClient;
  let residents = 0;

  const residentAsks = async (text: string): Promise<void> => {
    const chat = `missing-${++residents}`;
    await app.store.resident("web", chat);
    await app.service.handle("web", chat, { kind: "text", text });
  };

  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    await app.staffAccounts.add({ username: "ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["jelgava"] });
    ieva = await StaffClient.login(app.url, "ieva", "an editor password");
    anna = await StaffClient.login(app.url, "anna", "correct horse battery");
  }, 120_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("refuses agents and changes without the CSRF header", async () => {
    expect((await anna.call("GET", "/unanswered/missing-guides")).status).toBe(403);
    expect((await anna.call("POST", "/unanswered/missing-guides", { question: NEEDED, lang: "lv" })).status).toBe(403);
    expect((await anna.call("POST", "/unanswered/missing-guides/1/done", { guideId: "meter-readings" })).status).toBe(403);
    expect((await anna.call("DELETE", "/unanswered/missing-guides/1")).status).toBe(403);
    const noCsrf = await fetch(`${app.url}/api/staff/unanswered/missing-guides`, {
      method: "POST", headers: { cookie: ieva.cookie, "content-type": "application/json" }, body: JSON.stringify({ question: NEEDED, lang: "lv" }),
    });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
    expect((await ieva.call("GET", "/unanswered/missing-guides")).json).toEqual({ items: [] });
  });

  it("keeps a group on the to-do list with its examples masked, marks it done with the guide that covers it, removes another, and audits each", async () => {
    const added = await ieva.call("POST", "/unanswered/missing-guides", {
      question: NEEDED, lang: "lv", asked: 4,
      examples: [NEEDED, "makšķerēšanas karte kur nopirkt, mans kods 010190-12345, zvaniet 29123456", "makšķerēšanas karte kur nopirkt, mans kods 010190-12345, zvaniet 29123456"],
    });
    expect(added.status).toBe(201);
    const item = added.json.item as Item;
    expect(item).toMatchObject({ question: NEEDED, lang: "lv", by: "Ieva", done: null });
    expect(item.examples).toEqual([NEEDED, "makšķerēšanas karte kur nopirkt, mans kods [personas kods], zvaniet [tālrunis]"]);
    // The same wording again: the same item, with the new example added.
    const again = await ieva.call("POST", "/unanswered/missing-guides", { question: NEEDED.toUpperCase(), lang: "lv", examples: ["makšķerēšanas atļauja internetā"] });
    expect(again.status).toBe(200);
    expect((again.json.item as Item).id).toBe(item.id);
    expect((again.json.item as Item).examples).toContain("makšķerēšanas atļauja internetā");
    const { rows } = await db.pool.query<{ row: string }>("SELECT row_to_json(m)::text AS row FROM content_missing_guides m");
    expect(rows.map((r) => r.row).join("\n")).not.toMatch(/010190|29123456/);

    const list = (await ieva.call("GET", "/unanswered/missing-guides")).json.items as Item[];
    expect(list).toEqual([expect.objectContaining({ id: item.id, question: NEEDED, done: null, answersNow: expect.objectContaining({ guideId: null, answered: 0 }) as unknown })]);

    expect((await ieva.call("POST", `/unanswered/missing-guides/${item.id}/done`, { guideId: "no-such-guide" })).status).toBe(422);
    expect((await ieva.call("POST", "/unanswered/missing-guides/999999/done", { guideId: "meter-readings" })).status).toBe(404);
    const done = await ieva.call("POST", `/unanswered/missing-guides/${item.id}/done`, { guideId: "e-identity" });
    expect(done.status).toBe(200);
    expect(done.json.item).toMatchObject({ id: item.id, done: { guideId: "e-identity", by: "Ieva" } });

    const other = (await ieva.call("POST", "/unanswered/missing-guides", { question: "kā iegūt medību atļauju", lang: "lv" })).json.item as Item;
    expect((await ieva.call("DELETE", `/unanswered/missing-guides/${other.id}`)).status).toBe(204);
    expect((await ieva.call("DELETE", `/unanswered/missing-guides/${other.id}`)).status).toBe(404);
    const after = (await ieva.call("GET", "/unanswered/missing-guides")).json.items as Item[];
    expect(after.map((i) => [i.id, i.done?.guideId ?? null])).toEqual([[item.id, "e-identity"]]);

    const audit = await db.pool.query<{ action: string; detail: { id: number } }>(
      "SELECT action, detail FROM audit_log WHERE action LIKE 'content-guide-needed%' ORDER BY id");
    expect(audit.rows.map((r) => [r.action, r.detail.id])).toEqual([
      ["content-guide-needed", item.id], ["content-guide-needed-done", item.id], ["content-guide-needed", other.id], ["content-guide-needed-removed", other.id],
    ]);
    expect((await ieva.call("POST", "/unanswered/missing-guides", { question: "  ", lang: "lv" })).status).toBe(400);
    expect((await ieva.call("POST", "/unanswered/missing-guides", { question: NEEDED, lang: "de" })).status).toBe(400);
    await db.pool.query("DELETE FROM content_missing_guides");
  });

  it("shows which groups of the report were handled, by whom, and whether the bot answers them now; only the rest count as open", async () => {
    for (const q of [TAUGHT, TAUGHT, DISMISSED, NEEDED, OPEN]) await residentAsks(q);
    const before = (await ieva.call("GET", "/unanswered")).json as { groups: ReportGroup[]; handled: ReportGroup[]; open: number };
    expect(before.groups.map((g) => g.question)).toEqual(expect.arrayContaining([TAUGHT, DISMISSED, NEEDED, OPEN]));
    expect(before.handled).toEqual([]);

    expect((await ieva.call("POST", "/unanswered/teach", { question: TAUGHT, lang: "lv", guideId: "municipal-application" })).status).toBe(200);
    expect((await ieva.call("POST", "/unanswered/dismiss", { question: DISMISSED, lang: "lv" })).status).toBe(200);
    expect((await ieva.call("POST", "/unanswered/missing-guides", { question: NEEDED, lang: "lv", examples: [NEEDED], asked: 1 })).status).toBe(201);
    await expect.poll(async () => ((await ieva.call("POST", "/try", { text: TAUGHT, lang: "lv" })).json.intent), { timeout: 5000 }).toBe("guide");

    const report = (await ieva.call("GET", "/unanswered")).json as { groups: ReportGroup[]; handled: ReportGroup[]; open: number };
    expect(report.groups.map((g) => g.question)).toContain(OPEN);
    expect(report.groups.map((g) => g.question)).not.toEqual(expect.arrayContaining([TAUGHT]));
    expect(report.open).toBe(report.groups.length);
    const handled = Object.fromEntries(report.handled.map((g) => [g.question, g]));
    expect(handled[TAUGHT]).toMatchObject({
      count: 2,
      handled: { action: "teach", by: "Ieva", guideId: "municipal-application", guideTitle: "Iesniegums pašvaldībai internetā", answersNow: { guideId: "municipal-application", title: "Iesniegums pašvaldībai internetā" }, resolved: true },
    });
    expect(handled[DISMISSED]).toMatchObject({ handled: { action: "dismiss", by: "Ieva", answersNow: { guideId: null }, resolved: true } });
    expect(handled[NEEDED]).toMatchObject({ handled: { action: "needs-guide", by: "Ieva", guideId: null, answersNow: { guideId: null }, resolved: false } });

    const list = (await ieva.call("GET", "/unanswered/handled")).json.handled as { action: string; question: string; by: string; at: string; resolved: boolean }[];
    expect(list.map((h) => [h.action, h.question])).toEqual([["needs-guide", NEEDED], ["dismiss", DISMISSED], ["teach", TAUGHT]]);
    // Removed from the to-do list, the group is open again.
    const id = must(((await ieva.call("GET", "/unanswered/missing-guides")).json.items as Item[])[0], "the to-do item").id;
    expect((await ieva.call("DELETE", `/unanswered/missing-guides/${id}`)).status).toBe(204);
    const reopened = (await ieva.call("GET", "/unanswered")).json as { groups: ReportGroup[]; handled: ReportGroup[] };
    expect(reopened.groups.map((g) => g.question)).toContain(NEEDED);
    expect(reopened.handled.map((g) => g.question)).not.toContain(NEEDED);
  }, 60_000);

  it("exports every group as CSV with whether and how an editor handled it, by whom and when", async () => {
    const csv = await fetch(`${app.url}/api/staff/unanswered?format=csv`, { headers: { cookie: ieva.cookie } });
    const lines = (await csv.text()).slice(1).trimEnd().split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header.slice(-5)).toEqual(["inFlows", "handled", "handledGuide", "handledBy", "handledAt"]);
    const row = (question: string): Record<string, string> => {
      const cells = lines.find((l) => l.split(",")[2] === question)?.split(",") ?? [];
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
    };
    expect(row(TAUGHT)).toMatchObject({ count: "2", handled: "teach", handledGuide: "municipal-application", handledBy: "Ieva" });
    expect(row(TAUGHT).handledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(row(DISMISSED)).toMatchObject({ handled: "dismiss", handledGuide: "", handledBy: "Ieva" });
    // Removed from the to-do list above: open again.
    expect(row(NEEDED)).toMatchObject({ handled: "", handledBy: "" });
    expect(row(OPEN)).toMatchObject({ handled: "", handledGuide: "", handledBy: "", handledAt: "" });
  });
});
