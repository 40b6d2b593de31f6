import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { pgliteTarget, serverTarget, type DatabaseTarget } from "../support/databases.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface Client {
  get(path: string): Promise<Response>;
  send(method: string, path: string, body: unknown, csrf?: boolean): Promise<Response>;
}

async function login(app: App, username: string, password: string): Promise<Client> {
  const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    get: (path) => fetch(`${app.url}/api/staff${path}`, { headers: { cookie } }),
    send: (method, path, body, csrf = true) => fetch(`${app.url}/api/staff${path}`, {
      method, headers: { cookie, "content-type": "application/json", ...(csrf ? { "x-csrf-token": csrfToken } : {}) }, body: JSON.stringify(body),
    }),
  };
}

async function ask(app: App, text: string): Promise<string> {
  const chat = (await (await fetch(`${app.url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  const res = await fetch(`${app.url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

/** Resolves with the time it took once `check` holds; fails after `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

const server = await serverTarget("content_api");
const setups: { name: string; target: DatabaseTarget; instances: 1 | 2 }[] = [
  { name: "PGlite, one process", target: pgliteTarget, instances: 1 },
  ...(server ? [{ name: "two instances on one PostgreSQL server", target: server, instances: 2 as const }] : []),
];

describe.each(setups)("content API on $name", ({ target, instances }) => {
  let dbs: Database[] = [];
  let a: App;
  let b: App;
  let editor: Client;
  const GUIDE = "/content/guides/lv/meter-readings";

  beforeAll(async () => {
    const first = await target.open();
    // A second instance shares the schema: a second pool on the same server schema.
    const second = instances === 2 ? await (await import("../../src/store/database.js")).openDatabase({ kind: "postgres", url: (await import("../support/databases.js")).PG_URL, schema: (first as Database & { schema: string }).schema }) : first;
    dbs = instances === 2 ? [first, second] : [first];
    a = await startTestApp({ database: first });
    b = instances === 2 ? await startTestApp({ database: second }) : a;
    await a.staffAccounts.add({ username: "ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    await a.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["jelgava"] });
    editor = await login(a, "ieva", "an editor password");
  }, 120_000);
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
    if (dbs[1]) await dbs[1].close();
    if (dbs[0]) await target.drop(dbs[0]);
  });

  it("refuses agents and changes without the CSRF header", async () => {
    const anna = await login(a, "anna", "correct horse battery");
    expect((await anna.get(GUIDE)).status).toBe(403);
    expect((await anna.send("PUT", GUIDE, { text: "x", baseRevision: 1 })).status).toBe(403);
    expect((await anna.send("POST", "/content/preview", { kind: "guide", lang: "lv", id: "meter-readings", text: "x" })).status).toBe(403);
    expect((await anna.send("POST", "/unanswered/teach", { question: "x", lang: "lv", guideId: "meter-readings" })).status).toBe(403);
    expect((await anna.send("POST", "/unanswered/dismiss", { question: "x", lang: "lv" })).status).toBe(403);
    const noCsrf = await editor.send("PUT", GUIDE, { text: "x", baseRevision: 1 }, false);
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
  });

  it("publishes an edit that every instance answers from within 2 seconds; refuses a bad edit at its line and a stale base", async () => {
    const current = (await (await editor.get(GUIDE)).json()) as { text: string; revision: number; publishedAt: string; publishedBy: string };
    expect(current).toMatchObject({ revision: expect.any(Number), publishedBy: "repository" });
    expect(await ask(b, "zilonis ūdensvads")).toMatch(/Atvainojiet, par šo es vēl nezinu/);

    const lines = current.text.split("\n");
    const bad = current.text.replace(/^review_by: .*$/m, "review_by: someday");
    const refused = await editor.send("PUT", GUIDE, { text: bad, baseRevision: current.revision });
    expect(refused.status).toBe(422);
    const problems = ((await refused.json()) as { errors: { line: number; message: string }[] }).errors;
    expect(problems.some((p) => p.line === lines.findIndex((l) => l.startsWith("review_by:")) + 1)).toBe(true);

    const text = current.text.replace("keywords:\n", "keywords:\n  - zilonis ūdensvads\n");
    const published = await editor.send("PUT", GUIDE, { text, baseRevision: current.revision });
    expect(published.status).toBe(200);
    const { revision } = (await published.json()) as { revision: number };
    expect(revision).toBeGreaterThan(current.revision);
    await within(2000, async () => /📘/.test(await ask(b, "zilonis ūdensvads")));

    const stale = await editor.send("PUT", GUIDE, { text: `${text}\n`, baseRevision: current.revision });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "stale_revision" }, current: { revision, text, publishedBy: "Ieva" } });
  });

  it("shows the history and restores an old revision, which every instance serves again", async () => {
    const history = ((await (await editor.get(`${GUIDE}/history`)).json()) as { revisions: { revision: number; source: string; publishedBy: string }[] }).revisions;
    expect(history.map((h) => h.source)).toEqual(["editor", "repository"]);
    const original = history[1] as { revision: number };
    const old = (await (await editor.get(`${GUIDE}/revisions/${original.revision}`)).json()) as { text: string };
    const restored = await editor.send("POST", `${GUIDE}/restore`, { revision: original.revision });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ restored: original.revision });
    expect(((await (await editor.get(GUIDE)).json()) as { text: string }).text).toBe(old.text);
    await within(2000, async () => /Atvainojiet, par šo es vēl nezinu/.test(await ask(b, "zilonis ūdensvads")));
    const after = ((await (await editor.get(`${GUIDE}/history`)).json()) as { revisions: { source: string }[] }).revisions;
    expect(after.map((h) => h.source)).toEqual(["restore", "editor", "repository"]);
  });

  it("previews a draft as a resident would see it, with the check's errors at their lines, without publishing", async () => {
    const current = (await (await editor.get(GUIDE)).json()) as { text: string; revision: number };
    const draft = current.text.replace("keywords:\n", "keywords:\n  - melnraksta vārds\n");
    const preview = (await (await editor.send("POST", "/content/preview", { kind: "guide", lang: "lv", id: "meter-readings", text: draft, question: "melnraksta vārds" })).json()) as { errors: unknown[]; replies: { text: string }[]; answered: { id: string } | null };
    expect(preview.errors).toEqual([]);
    expect(preview.answered?.id).toBe("meter-readings");
    expect(preview.replies[0]?.text).toMatch(/📘/);
    const broken = (await (await editor.send("POST", "/content/preview", { kind: "guide", lang: "lv", id: "meter-readings", text: draft.replace(/^id: .*$/m, "id: Wrong!") })).json()) as { errors: { line: number }[] };
    expect(broken.errors.length).toBeGreaterThan(0);
    expect(broken.errors[0]?.line).toBeGreaterThan(1);
    expect(await ask(a, "melnraksta vārds")).toMatch(/Atvainojiet, par šo es vēl nezinu/);
    expect(((await (await editor.get(GUIDE)).json()) as { revision: number }).revision).toBe(current.revision);
    // A flow's draft: its first step as a resident who follows its link sees it.
    const flow = (await (await editor.get("/content/flows/e-invoice-setup")).json()) as { text: string };
    const changed = flow.text.replace(/(\n\s+lv: )Kuru rēķinu/, "$1Labi! Kuru rēķinu");
    const flowPreview = (await (await editor.send("POST", "/content/preview", { kind: "flow", id: "e-invoice-setup", lang: "lv", text: changed })).json()) as { errors: unknown[]; replies: { text: string }[] };
    expect(flowPreview.errors).toEqual([]);
    expect(flowPreview.replies.map((r) => r.text).join("\n")).toMatch(/Labi! Kuru rēķinu/);
  });

  it("teaches a question to a guide so that the next resident gets that guide, and marks another out of scope", async () => {
    const question = "kā pieteikt suni dzīvnieku reģistrā";
    expect(await ask(b, question)).toMatch(/Atvainojiet, par šo es vēl nezinu/);
    const taught = await editor.send("POST", "/unanswered/teach", { question, lang: "lv", guideId: "municipal-application" });
    expect(taught.status).toBe(200);
    await within(2000, async () => /📘/.test(await ask(b, question)));
    const text = ((await (await editor.get("/content/guides/lv/municipal-application")).json()) as { text: string }).text;
    expect(text).toContain(`  - "${question}"`);

    const outOfScope = "kur nopirkt ūdens skaitītāju";
    expect(await ask(b, outOfScope)).toMatch(/📘/);
    expect((await editor.send("POST", "/unanswered/dismiss", { question: outOfScope, lang: "lv" })).status).toBe(200);
    await within(2000, async () => /Atvainojiet, par šo es vēl nezinu/.test(await ask(b, outOfScope)));

    const handled = ((await (await editor.get("/unanswered/handled")).json()) as { handled: { question: string; action: string; by: string; resolved: boolean }[] }).handled;
    expect(handled).toEqual(expect.arrayContaining([
      expect.objectContaining({ question, action: "teach", by: "Ieva", resolved: true }),
      expect.objectContaining({ question: outOfScope, action: "dismiss", by: "Ieva", resolved: true }),
    ]));
  });

  it("refuses to delete a guide that flows link to", async () => {
    const res = await editor.send("DELETE", "/content/guides/e-invoices", {});
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { file: string; message: string }[] };
    expect(body.errors.some((e) => e.file.startsWith("flows/"))).toBe(true);
  });
});
