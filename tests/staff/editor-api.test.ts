import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";
import { ifAssigned, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

async function login(app: App, username: string, password: string): Promise<{ get(path: string): Promise<Response>; post(path: string, body: unknown): Promise<Response> }> {
  const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const cookie = sessionCookie(res);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    get: (path) => fetch(`${app.url}/api/staff${path}`, { headers: { cookie } }),
    post: (path, body) => fetch(`${app.url}/api/staff${path}`, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" }, body: JSON.stringify(body) }),
  };
}

describe("editors' content API", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
    await app.staffAccounts.add({ username: "ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["jelgava"] });
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("shows what a resident would get for a question, with ranked guides, matched words, language and intent", async () => {
    const ieva = await login(app, "ieva", "an editor password");
    const res = await ieva.post("/try", { text: "ka sanemt e-rekinu par udeni" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { lang: string; intent: string; confident: boolean; terms: string[]; guides: { id: string; title: string; score: number; matched: string[] }[]; replies: { text: string }[] };
    expect(body.terms.length).toBeGreaterThanOrEqual(2);
    for (const word of body.guides[0]?.matched ?? []) expect(body.terms).toContain(word);
    expect(body).toMatchObject({ lang: "lv", intent: "guide", confident: true });
    expect(body.guides[0]?.id).toBe("e-invoices");
    expect(body.guides[0]?.matched.length).toBeGreaterThan(0);
    expect(body.replies[0]?.text).toMatch(/📘 E-rēķini/);
    const none = (await (await ieva.post("/try", { text: "kāds laiks būs rīt", lang: "lv" })).json()) as { intent: string; confident: boolean };
    expect(none).toMatchObject({ intent: "fallback" });
    // Trying a question stores nothing.
    expect((await app.desk.list({ id: 0, username: "x", displayName: "x", role: "admin", centres: [] }, {})).length).toBe(0);
  });

  it("lists every guide per language with review dates, overdue first, and the content status", async () => {
    const ieva = await login(app, "ieva", "an editor password");
    const body = (await (await ieva.get("/content")).json()) as { status: { ok: boolean; errors: string[] }; guides: { id: string; overdue: boolean; missing: string[]; langs: Record<string, { checked: string; reviewBy: string }> }[]; flows: { id: string }[] };
    expect(body.status).toMatchObject({ ok: true, errors: [] });
    expect(body.guides).toHaveLength(18);
    expect(body.guides[0]?.langs.lv?.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.flows.map((f) => f.id)).toContain("e-invoice-setup");
    const firstOnTime = body.guides.findIndex((g) => !g.overdue);
    expect(body.guides.slice(firstOnTime).every((g) => !g.overdue)).toBe(true);
  });

  it("refuses agents", async () => {
    const anna = await login(app, "anna", "correct horse battery");
    expect((await anna.get("/content")).status).toBe(403);
    expect((await anna.post("/try", { text: "x" })).status).toBe(403);
  });
});

describe("reports API", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
    await app.staffAccounts.add({ username: "ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["jelgava"] });
    for (const [chat, text] of [["r1", "kā pieteikt suni"], ["r2", "ka pieteikt suni?"], ["r3", "Kā saņemt e-rēķinu par ūdeni?"], ["r4", "mans tālrunis 29123456, kā pieteikt suni"]] as const) {
      await app.service.handle("web", chat, { kind: "text", text });
    }
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("gives editors the unanswered questions grouped, without phone numbers, as JSON and CSV", async () => {
    const ieva = await login(app, "ieva", "an editor password");
    const body = (await (await ieva.get("/unanswered")).json()) as { groups: { question: string; count: number; examples: string[] }[] };
    const dogs = body.groups.find((g) => g.question.includes("suni"));
    expect(dogs?.count).toBe(3);
    expect(JSON.stringify(body)).not.toContain("29123456");
    const csv = await ieva.get("/unanswered?format=csv");
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="digipaligs-unanswered-/);
    expect(await csv.text()).toMatch(/suni/);
    expect((await ieva.get("/unanswered?from=2026-13-01&to=2026-01-01")).status).toBe(400);
  });

  it("gives editors the indicators as JSON and CSV, and refuses agents", async () => {
    const ieva = await login(app, "ieva", "an editor password");
    const res = await ieva.get("/indicators");
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).not.toMatch(/suni|29123456/);
    const csv = await ieva.get("/indicators?format=csv");
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const anna = await login(app, "anna", "correct horse battery");
    expect((await anna.get("/indicators")).status).toBe(403);
    expect((await anna.get("/unanswered")).status).toBe(403);
  });
});
