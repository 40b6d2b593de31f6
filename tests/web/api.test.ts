import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface ApiReply { text: string; buttons: { id: string; label: string }[] }

async function createSession(app: App, body: unknown = {}): Promise<{ id: string; token: string; lang: string; replies: ApiReply[] }> {
  const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; lang: string; replies: ApiReply[] };
}

async function send(app: App, s: { id: string; token: string }, body: unknown): Promise<{ status: number; json: { lang?: string; replies?: ApiReply[]; error?: { code: string; message: string } } }> {
  const res = await fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as never };
}

describe("web chat HTTP API", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => ifAssigned(app)?.close());

  it("creates a session with a token, a greeting and the main menu", async () => {
    const s = await createSession(app, { lang: "en" });
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(s.token.length).toBeGreaterThanOrEqual(32);
    expect(s.lang).toBe("en");
    expect(s.replies[0]?.text).toMatch(/^Hello! I'm DigiPalīgs/);
    expect(s.replies[1]?.buttons.map((b) => b.label)).toContain("🧾 E-invoices");
  });

  it("answers a question and then a button press", async () => {
    const s = await createSession(app);
    const answer = await send(app, s, { text: "Kā saņemt e-rēķinu par ūdeni?" });
    expect(answer.status).toBe(200);
    expect(answer.json.lang).toBe("lv");
    expect(answer.json.replies?.[0]?.text).toMatch(/📘 E-rēķini/);
    const full = answer.json.replies?.[0]?.buttons.find((b) => b.id.startsWith("guide:"));
    const pressed = await send(app, s, { button: full?.id });
    expect(pressed.status).toBe(200);
    expect(pressed.json.replies?.length).toBeGreaterThan(0);
  });

  it("switches language with a lang: button", async () => {
    const s = await createSession(app);
    const res = await send(app, s, { button: "lang:ru" });
    expect(res.json.lang).toBe("ru");
    expect(res.json.replies?.[0]?.text).toMatch(/по-русски/);
  });

  it("refuses a wrong or missing token with 401 and a JSON error", async () => {
    const s = await createSession(app);
    const wrong = await send(app, { id: s.id, token: "nope" }, { text: "hi" });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error?.code).toBe("unauthorized");
    const missing = await fetch(`${app.url}/api/chat/sessions/${s.id}/messages`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(401);
    const unknown = await send(app, { id: "no-such-session", token: s.token }, { text: "hi" });
    expect(unknown.status).toBe(401);
  });

  it("answers malformed bodies with 400 and a JSON error, never a stack trace", async () => {
    const s = await createSession(app);
    for (const body of ["not json", { txt: "x" }, { text: 5 }, { text: "a", button: "b" }, { button: "" }]) {
      const res = await send(app, s, body);
      expect(res.status).toBe(400);
      expect(res.json.error?.code).toBe("bad_request");
      expect(JSON.stringify(res.json)).not.toMatch(/at .*\.ts:\d+/);
    }
    const badLang = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", body: JSON.stringify({ lang: "de" }) });
    expect(badLang.status).toBe(400);
    const huge = await send(app, s, { text: "x".repeat(100_000) });
    expect([400, 413]).toContain(huge.status);
  });

  it("answers a 10,000-character message politely", async () => {
    const s = await createSession(app);
    const res = await send(app, s, { text: "Kā saņemt e-rēķinu? ".repeat(190) });
    expect(res.status).toBe(200);
    expect(res.json.replies?.[0]?.text).toMatch(/ļoti gara/);
  });

  it("returns the history of a session for a page reload", async () => {
    const s = await createSession(app);
    await send(app, s, { text: "paldies" });
    const res = await fetch(`${app.url}/api/chat/sessions/${s.id}`, { headers: { authorization: `Bearer ${s.token}` } });
    const body = (await res.json()) as { lang: string; messages: { direction: string; text: string; buttons: unknown[] }[] };
    expect(body.messages.map((m) => m.direction)).toEqual(["in", "out", "out", "in", "out"]);
    expect(body.messages.at(-1)?.buttons.length).toBeGreaterThan(0);
  });

  it("streams messages that arrive later as server-sent events", async () => {
    const s = await createSession(app);
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/chat/sessions/${s.id}/events?token=${encodeURIComponent(s.token)}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: ready/);
    const resident = await app.store.resident("web", s.id);
    await app.service.deliver(resident.id, [{ text: "Labdien! Šeit Anna no klientu centra.", buttons: [] }]);
    await readUntil(/event: message/);
    controller.abort();
    const data = /event: message\ndata: (.+)\n/.exec(text)?.[1] ?? "{}";
    expect(JSON.parse(data)).toEqual({ replies: [{ text: "Labdien! Šeit Anna no klientu centra.", buttons: [] }] });
    expect(text).toMatch(/\nid: \d+\n/);
  });

  it("serves the page, the widget script and a health check", async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const widget = await fetch(`${app.url}/widget.js`);
    expect(widget.status).toBe(200);
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { ok: boolean; channels: string[] };
    expect(health).toMatchObject({ ok: true, channels: ["web"] });
    const missing = await fetch(`${app.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("restarting the app", () => {
  it("lets a resident continue a flow where they were after a restart", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "digipaligs-restart-"));
    try {
      let app = await startTestApp({ dataDir: dir });
      const s = await createSession(app);
      const menu = s.replies[1]?.buttons.find((b) => b.label.includes("E-rēķini"));
      const which = await send(app, s, { button: menu?.id });
      expect(which.json.replies?.[0]?.text).toMatch(/Kuru rēķinu/);
      const utility = which.json.replies?.[0]?.buttons[0];
      const way = await send(app, s, { button: utility?.id });
      const email = way.json.replies?.[0]?.buttons[0];
      const step = await send(app, s, { button: email?.id });
      const stepText = step.json.replies?.[0]?.text;
      const done = step.json.replies?.[0]?.buttons.find((b) => b.id.endsWith(":done"));
      await app.close();

      app = await startTestApp({ dataDir: dir });
      const next = await send(app, s, { button: done?.id });
      expect(next.status).toBe(200);
      const nextText = next.json.replies?.[0]?.text;
      expect(nextText).not.toBe(stepText);
      expect(next.json.replies?.[0]?.buttons.map((b) => b.id.split(":").at(-1))).toEqual(["done", "failed", "repeat", "back"]);
      // Typing "atpakaļ" goes back to the step before the restart.
      const back = await send(app, s, { text: "atpakaļ" });
      expect(back.json.replies?.[0]?.text).toBe(stepText);
      await app.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
