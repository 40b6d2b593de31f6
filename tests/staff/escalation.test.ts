import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { ifAssigned, must, sessionCookie } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface ApiReply { text: string; buttons: { id: string; label: string }[] }

/** A resident in the web chat, reading their event stream. */
class Resident {
  events: string[] = [];
  #controller = new AbortController();
  private constructor(readonly app: App, readonly id: string, readonly token: string) {}

  static async start(app: App): Promise<Resident> {
    const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", body: "{}" });
    const body = (await res.json()) as { id: string; token: string };
    const r = new Resident(app, body.id, body.token);
    await r.#listen();
    return r;
  }

  async #listen(): Promise<void> {
    const res = await fetch(`${this.app.url}/api/chat/sessions/${this.id}/events?token=${encodeURIComponent(this.token)}`, { signal: this.#controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value);
          let at: number;
          while ((at = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const data = /^event: message\ndata: (.*)$/m.exec(block)?.[1];
            if (data) for (const reply of (JSON.parse(data) as { replies: ApiReply[] }).replies) this.events.push(reply.text);
          }
        }
      } catch {
        // aborted
      }
    })();
  }

  async send(body: { text: string } | { button: string }): Promise<ApiReply[]> {
    const res = await fetch(`${this.app.url}/api/chat/sessions/${this.id}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${this.token}` }, body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: ApiReply[] }).replies;
  }

  async waitFor(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => pattern.test(e));
      if (found) return found;
      if (Date.now() > end) throw new Error(`no event ${pattern}; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    this.#controller.abort();
  }
}

/** A member of staff using the JSON API with a cookie and the CSRF token. */
class Staff {
  private constructor(readonly app: App, readonly cookie: string, readonly csrf: string) {}

  static async login(app: App, username: string, password: string): Promise<Staff> {
    const res = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res);
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    return new Staff(app, cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
  }

  async call(method: "GET" | "POST", path: string, body?: unknown, csrf = true): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.app.url}/api/staff${path}`, {
      method,
      headers: { cookie: this.cookie, ...(csrf && method === "POST" ? { "x-csrf-token": this.csrf } : {}), ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>) };
  }
}

const targets = await databaseTargets("esc");

describe.each(targets)("escalation from the web chat to a member of staff and back, on $name", (target) => {
  let app: App;
  let db: Database | undefined;
  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    await app.staffAccounts.add({ username: "juris", password: "another long password", displayName: "Juris", role: "agent", centres: ["jelgava"] });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (db) await target.drop(db);
  });

  it("walks a resident through the intake, opens a ticket, relays both ways, closes and takes a rating", async () => {
    const resident = await Resident.start(app);
    let replies = await resident.send({ text: "Kā saņemt e-rēķinu par ūdeni?" });
    expect(replies[0]?.text).toMatch(/📘/);
    replies = await resident.send({ button: "person" });
    expect(replies[0]?.text).toMatch(/Vai nodot Jūsu jautājumu/);
    replies = await resident.send({ button: "intake:yes" });
    expect(replies[0]?.buttons.map((b) => b.id)).toContain("parish:ozolnieku");
    replies = await resident.send({ button: "parish:ozolnieku" });
    expect(replies[0]?.buttons.map((b) => b.id)).toEqual(["contact:chat", "contact:phone"]);
    replies = await resident.send({ button: "contact:phone" });
    expect(replies[0]?.text).toMatch(/tālruņa numuru/);
    replies = await resident.send({ text: "123" });
    expect(replies[0]?.text).toMatch(/neizskatās pēc Latvijas tālruņa/);
    replies = await resident.send({ text: "20 000 000" });
    expect(replies[0]?.text).toMatch(/numuru saņēmu/);
    expect(replies[1]?.text).toMatch(/Vai piekrītat\?/);
    replies = await resident.send({ button: "consent:yes" });
    expect(replies[0]?.text).toMatch(/Es jau pierakstīju: «Kā saņemt e-rēķinu par ūdeni\?»/);
    replies = await resident.send({ text: "Nesaprotu JNKU formu, mans kods 010190-12345" });
    const created = replies.at(-1)?.text ?? "";
    expect(created).toMatch(/Pieteikuma numurs: JN-\d{6}/);
    expect(created).toMatch(/Jūsu jautājums nodots Cenu un Ozolnieku pagasta apvienības pārvaldei\./);
    expect(created).toMatch(/piezvanīs uz \+37120000000/);
    // The hours are not confirmed: no "open now", no time of day; nobody of the centre is online yet.
    expect(created).toMatch(/Klientu centra darba laiks nav apstiprināts\. To var uzzināt pa pašvaldības informatīvo tālruni 63022238\./);
    expect(created).toMatch(/Šobrīd neviens centra darbinieks nav tiešsaistē/);
    expect(created).not.toMatch(/šobrīd ir (atvērts|slēgts)|\b\d{1,2}[:.]\d{2}\b/);
    expect(replies.at(-1)?.buttons.map((b) => b.id)).toContain("ticket:end");

    const anna = await Staff.login(app, "anna", "correct horse battery");
    const waiting = await anna.call("GET", "/tickets?status=waiting");
    const summary = (waiting.json.tickets as { id: number; number: string; question: string; contact: string }[])[0];
    expect(summary).toMatchObject({ contact: "phone" });
    expect(summary?.question).toContain("[personas kods]");
    const id = must(summary, "the waiting ticket").id;

    // While nobody has joined, what the resident writes is added to the ticket (and said so).
    replies = await resident.send({ text: "Vai kāds ir?" });
    expect(replies[0]?.text).toMatch(/Pievienoju Jūsu pieteikumam JN-/);

    expect((await anna.call("POST", `/tickets/${id}/claim`, undefined, false)).status).toBe(403);
    const claimed = await anna.call("POST", `/tickets/${id}/claim`);
    expect(claimed.status).toBe(200);
    await resident.waitFor(/Anna no klientu centra pievienojās/);

    const detail = (await anna.call("GET", `/tickets/${id}`)).json.ticket as { phone: string; context: Record<string, unknown>; transcript: unknown[]; messages: { author: string; text: string }[] };
    expect(detail.phone).toBe("+37120000000");
    expect(detail.context).toMatchObject({ guide: "e-invoices", lastQuestion: "Kā saņemt e-rēķinu par ūdeni?" });
    // Staff read the guide's title, not only its id.
    expect((detail.context.titles as { guide?: string } | undefined)?.guide).toMatch(/^E-rēķini/);
    expect(detail.transcript.length).toBeGreaterThan(3);
    expect(JSON.stringify(detail)).not.toContain("010190-12345");

    await anna.call("POST", `/tickets/${id}/reply`, { text: "Labdien! Klienta numurs ir rēķina augšā." });
    await resident.waitFor(/^Labdien! Klienta numurs ir rēķina augšā\.$/);

    // Now the bot is silent: the resident's messages go to Anna.
    replies = await resident.send({ text: "Paldies, atradu!" });
    expect(replies).toEqual([]);
    await anna.call("POST", `/tickets/${id}/note`, { text: "Iekšēji: pārbaudīt JNKU formu" });
    const messages = ((await anna.call("GET", `/tickets/${id}`)).json.ticket as { messages: { author: string; text: string }[] }).messages;
    expect(messages.map((m) => m.author)).toEqual(expect.arrayContaining(["resident", "system", "staff", "note"]));
    expect(messages.some((m) => m.author === "resident" && m.text === "Paldies, atradu!")).toBe(true);

    const closed = await anna.call("POST", `/tickets/${id}/close`, { reason: "Atbildēts" });
    expect((closed.json.ticket as { status: string }).status).toBe("closed");
    await resident.waitFor(/Darbinieks aizvēra sarunu/);
    await resident.waitFor(/Cik apmierināts esat/);
    expect(resident.events.some((e) => e.includes("Iekšēji"))).toBe(false);
    replies = await resident.send({ button: `rate:${id}:5` });
    expect(replies[0]?.text).toMatch(/Paldies par vērtējumu/);
    replies = await resident.send({ text: "Ļoti laipni" });
    expect(replies[0]?.text).toMatch(/komentārs saglabāts/);
    const rated = (await anna.call("GET", `/tickets/${id}`)).json.ticket as { rating: number; ratingComment: string };
    expect(rated).toMatchObject({ rating: 5, ratingComment: "Ļoti laipni" });
    // After closing, the bot answers again.
    replies = await resident.send({ text: "kā deklarēt dzīvesvietu" });
    expect(replies[0]?.text).toMatch(/📘/);
    resident.stop();
  });

  it("refuses wrong passwords, then too many attempts, and other centres' tickets", async () => {
    const wrong = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "juris", password: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
    for (let i = 0; i < 4; i++) await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "juris", password: "nope" }) });
    const limited = await fetch(`${app.url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "juris", password: "another long password" }) });
    expect(limited.status).toBe(429);

    const resident = await Resident.start(app);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", parish: "ozolnieku", question: "Jautājums", context: { reason: "askedForPerson" } });
    await app.staffAccounts.add({ username: "liga", password: "a third long password", displayName: "Līga", role: "agent", centres: ["jelgava"] });
    const liga = await Staff.login(app, "liga", "a third long password");
    expect((await liga.call("GET", `/tickets/${ticket.id}`)).status).toBe(403);
    expect((await liga.call("POST", `/tickets/${ticket.id}/claim`)).status).toBe(403);
    const list = (await liga.call("GET", "/tickets")).json.tickets as { id: number }[];
    expect(list.map((t) => t.id)).not.toContain(ticket.id);
    expect((await liga.call("GET", "/tickets?centre=cenu-ozolnieku")).status).toBe(403);
    resident.stop();
  });

  it("lets exactly one of two agents claim a ticket", async () => {
    await app.staffAccounts.add({ username: "peteris", password: "yet another password", displayName: "Pēteris", role: "agent", centres: ["cenu-ozolnieku"] });
    const resident = await Resident.start(app);
    const ticket = await app.desk.createTicket({ channel: "web", chatId: resident.id, lang: "lv", parish: "ozolnieku", question: "Sacensības", context: { reason: "askedForPerson" } });
    const anna = await Staff.login(app, "anna", "correct horse battery");
    const peteris = await Staff.login(app, "peteris", "yet another password");
    const results = await Promise.all([anna.call("POST", `/tickets/${ticket.id}/claim`), peteris.call("POST", `/tickets/${ticket.id}/claim`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect((loser?.json.error as { code: string }).code).toBe("already_claimed");
    resident.stop();
  });

  it("forgets a resident after /forget and a confirmation", async () => {
    const resident = await Resident.start(app);
    await resident.send({ text: "mans kods 010190-12345" });
    let replies = await resident.send({ text: "/forget" });
    expect(replies[0]?.text).toMatch(/Vai dzēst visu/);
    replies = await resident.send({ button: "forget:yes" });
    expect(replies[0]?.text).toMatch(/Jūsu dati ir dzēsti/);
    const transcript = await app.service.history((await app.store.resident("web", resident.id)).id);
    expect(transcript).toEqual([]);
    resident.stop();
  });
});
