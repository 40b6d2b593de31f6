import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { pgliteTarget, serverTarget, type DatabaseTarget } from "../support/databases.js";
import { ifAssigned, must, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface Client {
  get(path: string): Promise<Response>;
  send(method: string, path: string, body: unknown, csrf?: boolean): Promise<Response>;
}

async function login(app: App, username: string, password: string): Promise<Client> {
  const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const cookie = sessionCookie(res);
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
    if (b !== a) await ifAssigned(b)?.close();
    await ifAssigned(a)?.close();
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
    expect(current).toMatchObject({ revision: expect.any(Number) as unknown, publishedBy: "repository" });
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
    await within(2000, async () => (await ask(b, "zilonis ūdensvads")).includes("📘"));

    const stale = await editor.send("PUT", GUIDE, { text: `${text}\n`, baseRevision: current.revision });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "stale_revision" }, current: { revision, text, publishedBy: "Ieva" } });
  });

  it("shows the history and restores an old revision, which every instance serves again and which replaces the restorer's draft", async () => {
    const history = ((await (await editor.get(`${GUIDE}/history`)).json()) as { revisions: { revision: number; source: string; publishedBy: string }[] }).revisions;
    expect(history.map((h) => h.source)).toEqual(["editor", "repository"]);
    const original = history[1] as { revision: number };
    const old = (await (await editor.get(`${GUIDE}/revisions/${original.revision}`)).json()) as { text: string; revision: number; source: string };
    expect(old).toMatchObject({ revision: original.revision, source: "repository" });
    expect((await editor.get(`${GUIDE}/revisions/999999`)).status).toBe(404);
    expect((await editor.send("PUT", `${GUIDE}/draft`, { text: "a draft", baseRevision: history[0]?.revision ?? null })).status).toBe(200);
    const restored = await editor.send("POST", `${GUIDE}/restore`, { revision: original.revision });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ restored: original.revision });
    expect(((await (await editor.get(GUIDE)).json()) as { text: string; draft: unknown })).toMatchObject({ text: old.text, draft: null });
    await within(2000, async () => (await ask(b, "zilonis ūdensvads")).includes("Atvainojiet, par šo es vēl nezinu"));
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
    await within(2000, async () => (await ask(b, question)).includes("📘"));
    const text = ((await (await editor.get("/content/guides/lv/municipal-application")).json()) as { text: string }).text;
    expect(text).toContain(`  - "${question}"`);

    const outOfScope = "kur nopirkt ūdens skaitītāju";
    expect(await ask(b, outOfScope)).toMatch(/📘/);
    expect((await editor.send("POST", "/unanswered/dismiss", { question: outOfScope, lang: "lv" })).status).toBe(200);
    await within(2000, async () => (await ask(b, outOfScope)).includes("Atvainojiet, par šo es vēl nezinu"));

    const handled = ((await (await editor.get("/unanswered/handled")).json()) as { handled: { question: string; action: string; by: string; resolved: boolean }[] }).handled;
    expect(handled).toEqual(expect.arrayContaining([
      expect.objectContaining({ question, action: "teach", by: "Ieva", resolved: true }),
      expect.objectContaining({ question: outOfScope, action: "dismiss", by: "Ieva", resolved: true }),
    ]));
  });

  it("refuses to delete a guide or a flow that others link to, naming what links to it", async () => {
    const res = await editor.send("DELETE", "/content/guides/e-invoices", {});
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string }; errors: { file: string }[]; linkedFrom: { file: string; line: number; message: string }[] };
    expect(body.error.code).toBe("content_linked");
    expect(body.error.message).toMatch(/^Guide 'e-invoices' cannot be deleted while .*flows\/e-invoice-setup\.yaml.* link to it/);
    expect(body.linkedFrom.map((l) => l.file)).toEqual(expect.arrayContaining(["flows/e-invoice-setup.yaml", "knowledge/lv/meter-readings.md"]));
    expect(body.linkedFrom.every((l) => l.line > 1 && l.message.includes("e-invoices"))).toBe(true);
    const flow = await editor.send("DELETE", "/content/flows/scam-check", {});
    expect(flow.status).toBe(422);
    expect(((await flow.json()) as { linkedFrom: { file: string }[] }).linkedFrom.map((l) => l.file)).toContain("flows/main-menu.yaml");
    expect(((await (await editor.get("/content/guides/lv/e-invoices")).json()) as { deleted: boolean }).deleted).toBe(false);
  });

  it("publishes a new guide in Latvian only with its translations as to-dos; Russian residents get the Latvian text with a note; delete removes it on every instance", async () => {
    const ID = "zilonu-registrs";
    expect((await editor.get(`/content/guides/lv/${ID}`)).status).toBe(404);
    const guide = (lang: "lv" | "ru", related = "[]", id = ID): string => [
      "---", `id: ${id}`, `lang: ${lang}`,
      lang === "lv" ? "title: Ziloņu reģistrs – kā pieteikt ziloni" : "title: Реестр слонов – как заявить слона",
      lang === "lv" ? "summary: Kā pieteikt ziloni reģistrā." : "summary: Как заявить слона в реестр.",
      "keywords:", "  - zilonis", "  - ziloņu reģistrs",
      "sources:", "  - https://www.jelgavasnovads.lv/", "checked: 2026-11-20", "review_by: 2027-05-20", `related: ${related}`,
      "---", "", lang === "lv" ? "Ziloni piesaka reģistrā." : "Слона заявляют в реестр.", "",
      "## Kas Jums vajadzīgs {#need}", "- Zilonis.", "", "## Pieteikšana {#apply}", "1. Aizpildiet pieteikumu.", "",
      "## Ja neizdodas {#trouble}", "- Zvaniet 63022238.", "", "## Palīdzība klātienē {#help}", "- Jautājiet pagastā.", "",
    ].join("\n");
    const created = await editor.send("PUT", `/content/guides/lv/${ID}`, { text: guide("lv"), baseRevision: null });
    expect(created.status).toBe(200);
    const { warnings } = (await created.json()) as { warnings: { file: string; line: number; message: string }[] };
    expect(warnings.filter((w) => w.message.includes("translation to do"))).toEqual([
      expect.objectContaining({ file: `knowledge/lv/${ID}.md`, line: 2, message: expect.stringContaining(`missing in 'ru'`) as unknown }),
      expect.objectContaining({ file: `knowledge/lv/${ID}.md`, line: 2, message: expect.stringContaining(`missing in 'en'`) as unknown }),
    ]);
    // The id is taken now: a second "new" guide with it is refused.
    expect((await editor.send("PUT", `/content/guides/lv/${ID}`, { text: guide("lv"), baseRevision: null })).status).toBe(409);
    await within(2000, async () => (await ask(b, "ziloņu reģistrs")).includes("📘 Ziloņu reģistrs"));
    const listed = ((await (await editor.get("/content")).json()) as { guides: { id: string; missing: string[] }[] }).guides.find((g) => g.id === ID);
    expect(listed?.missing).toEqual(["ru", "en"]);
    // Residents writing Russian or English get the Latvian text with a note in their language;
    // a question that matches nothing gets the honest fallback in their language.
    expect(await ask(b, "что такое zilonis")).toMatch(/^Этой инструкции пока нет на русском языке.*\n\n📘 Ziloņu reģistrs/);
    expect(await ask(b, "how do I register a zilonis")).toMatch(/^This guide is not available in English yet.*\n\n📘 Ziloņu reģistrs/);
    expect(await ask(b, "как заявить слона")).toMatch(/^Извините/);

    // The Russian translation: the to-do for ru is done.
    expect((await editor.send("PUT", `/content/guides/ru/${ID}`, { text: guide("ru"), baseRevision: null })).status).toBe(200);
    await within(2000, async () => (await ask(b, "как заявить zilonis в реестр")).includes("📘 Реестр слонов"));
    const after = ((await (await editor.get("/content")).json()) as { guides: { id: string; missing: string[] }[] }).guides.find((g) => g.id === ID);
    expect(after?.missing).toEqual(["en"]);

    // Another guide links to it: the delete is refused, naming that guide; unlinked, it goes.
    expect((await editor.send("PUT", "/content/guides/lv/zilonu-bariba", { text: guide("lv", `\n  - ${ID}`, "zilonu-bariba"), baseRevision: null })).status).toBe(200);
    const refused = await editor.send("DELETE", `/content/guides/${ID}`, {});
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { linkedFrom: { file: string; line: number }[] }).linkedFrom).toEqual([{ file: "knowledge/lv/zilonu-bariba.md", line: 14, message: `related id '${ID}' points to no guide` }]);
    expect((await editor.send("DELETE", "/content/guides/zilonu-bariba", {})).status).toBe(200);
    const deleted = await editor.send("DELETE", `/content/guides/${ID}`, {});
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as { deleted: { path: string }[] }).deleted.map((d) => d.path).sort()).toEqual([`knowledge/lv/${ID}.md`, `knowledge/ru/${ID}.md`]);
    await within(2000, async () => (await ask(b, "ziloņu reģistrs")).includes("Atvainojiet, par šo es vēl nezinu"));
    expect(await ask(b, "что такое zilonis")).not.toMatch(/📘/);
    expect((await editor.send("DELETE", `/content/guides/${ID}`, {})).status).toBe(404);
    const { rows } = await must(dbs[0], "the first database").pool.query<{ detail: { path: string } }>("SELECT detail FROM audit_log WHERE action = 'content-deleted' ORDER BY id");
    expect(rows.map((r) => r.detail.path)).toEqual(expect.arrayContaining([`knowledge/lv/${ID}.md`, `knowledge/ru/${ID}.md`, "knowledge/lv/zilonu-bariba.md"]));
    // A deleted id can be used again for a new guide, from its deletion revision.
    const gone = (await (await editor.get(`/content/guides/lv/${ID}`)).json()) as { deleted: boolean; revision: number };
    expect(gone.deleted).toBe(true);
    expect((await editor.send("PUT", `/content/guides/lv/${ID}`, { text: guide("lv"), baseRevision: gone.revision })).status).toBe(200);
    expect((await editor.send("DELETE", `/content/guides/${ID}`, {})).status).toBe(200);
  }, 90_000);

  it("refuses to publish a translation that is still the prefilled text of the other language, with the lines to translate", async () => {
    const lv = (await (await editor.get("/content/guides/lv/e-address")).json()) as { text: string };
    const ru = (await (await editor.get("/content/guides/ru/e-address")).json()) as { text: string; revision: number };
    // What "Pievienot tulkojumu" prefills: the Latvian text with its language set to Russian.
    const prefilled = lv.text.replace(/^lang:\s*\S+\s*$/m, "lang: ru");
    const preview = (await (await editor.send("POST", "/content/preview", { kind: "guide", lang: "ru", id: "e-address", text: prefilled })).json()) as { errors: { file: string; line: number; message: string }[] };
    const needLine = prefilled.split("\n").findIndex((l) => l.includes("{#need}")) + 1;
    expect(preview.errors).toContainEqual({ file: "knowledge/ru/e-address.md", line: needLine, message: expect.stringMatching(/^section \{#need\} is the same text as in knowledge\/lv\/e-address\.md \(line \d+\), still in Latvian: translate it into Russian$/) as unknown });
    const refused = await editor.send("PUT", "/content/guides/ru/e-address", { text: prefilled, baseRevision: ru.revision });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { errors: { file: string; line: number; message: string }[] };
    expect(body.errors.length).toBeGreaterThan(1);
    expect(body.errors.every((e) => e.file === "knowledge/ru/e-address.md" && e.line > 1 && e.message.includes("translate it into Russian"))).toBe(true);
    // Nothing went live: Russian residents still get the Russian text.
    expect(((await (await editor.get("/content/guides/ru/e-address")).json()) as { revision: number }).revision).toBe(ru.revision);
  });

  it("deletes a flow nothing links to, on every instance", async () => {
    const text = ["id: zilonu-celvedis", "title: { lv: \"Ziloņu ceļvedis\", ru: \"Слоны\", en: \"Elephants\" }", "triggers:", "  deep-links: [zilonis]", "start: only",
      "steps:", "  only:", "    type: end", "    say: { lv: \"Ziloņu ceļveža sākums.\", ru: \"Начало.\", en: \"Start.\" }", ""].join("\n");
    expect((await editor.send("PUT", "/content/flows/zilonu-celvedis", { text, baseRevision: null })).status).toBe(200);
    const onB = await login(b, "ieva", "an editor password");
    const flows = async () => ((await (await onB.get("/content")).json()) as { flows: { id: string }[] }).flows.map((f) => f.id);
    await within(2000, async () => (await flows()).includes("zilonu-celvedis"));
    const res = await editor.send("DELETE", "/content/flows/zilonu-celvedis", {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: [{ path: "flows/zilonu-celvedis.yaml", revision: expect.any(Number) as unknown }] });
    await within(2000, async () => !(await flows()).includes("zilonu-celvedis"));
    expect(((await (await editor.get("/content/flows/zilonu-celvedis/history")).json()) as { revisions: { deleted: boolean }[] }).revisions.map((r) => r.deleted)).toEqual([true, false]);
  }, 60_000);
});
