/**
 * What is kept about residents, on PGlite and the PostgreSQL server, checked against the schema
 * itself (every table and column, as information_schema lists them — a new table cannot be
 * forgotten):
 * - personal codes, IBANs and card numbers in generated spellings, typed by a resident and by
 *   staff on every path (messages, the intake, replies, notes, close reasons, rating comments),
 *   survive in no table and no log line;
 * - `/forget` leaves no row about the resident, and every table follows the rules in
 *   `store/retention.ts`;
 * - the retention job deletes inactive residents with their sessions and web sessions.
 */
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { Database } from "../../src/store/database.js";
import { ANONYMISED_ON_FORGET, TABLES_WITHOUT_RESIDENT_DATA, purgeOldData } from "../../src/store/retention.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { StaffClient } from "../support/staff-client.js";
import { around, secret, survives, type Secret } from "../support/secrets.js";
import { ifAssigned, must } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;
interface ApiReply { text: string; buttons: { id: string; label: string }[] }

/** Every row of every table of the app's schema, as JSON text, by table. */
async function dumpAll(db: Pick<pg.Pool, "query">): Promise<Map<string, string[]>> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  const dump = new Map<string, string[]>();
  for (const { table_name: table } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
    dump.set(table, rows.map((r) => r.row));
  }
  return dump;
}

/** Foreign keys of the schema: table.column → referenced table and the delete rule. */
async function foreignKeys(db: Pick<pg.Pool, "query">): Promise<{ table: string; column: string; references: string; onDelete: string }[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; ref: string; delete_rule: string }>(
    `SELECT kcu.table_name, kcu.column_name, ccu.table_name AS ref, rc.delete_rule
     FROM information_schema.referential_constraints rc
     JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
     JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name AND ccu.constraint_schema = rc.constraint_schema
     WHERE rc.constraint_schema = current_schema()`);
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, references: r.ref, onDelete: r.delete_rule }));
}

const targets = await databaseTargets("pdata");

describe.each(targets)("personal data on $name", (target) => {
  let db: Database;
  let app: App;
  const logLines: string[] = [];

  const post = async (path: string, body: unknown, token: string): Promise<ApiReply[]> => {
    const res = await fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(200);
    return ((await res.json()) as { replies: ApiReply[] }).replies;
  };
  const session = async (): Promise<{ id: string; token: string; send: (body: { text: string } | { button: string }) => Promise<ApiReply[]> }> => {
    const res = await fetch(`${app.url}/api/chat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const s = (await res.json()) as { id: string; token: string };
    return { ...s, send: (body) => post(`/api/chat/sessions/${s.id}/messages`, body, s.token) };
  };
  /** A resident who asks for a person, is answered by staff, and rates: every path text can take. */
  const conversation = async (texts: () => string): Promise<{ id: string; residentId: number; ticketId: number }> => {
    const r = await session();
    await r.send({ text: texts() });
    await r.send({ button: "person" });
    await r.send({ button: "intake:yes" });
    await r.send({ button: "parish:ozolnieku" });
    await r.send({ button: "contact:chat" });
    await r.send({ button: "consent:yes" });
    await r.send({ text: texts() });
    const residentId = (await app.store.resident("web", r.id)).id;
    const ticket = await app.desk.openTicketOf(residentId);
    if (!ticket) throw new Error("no ticket was opened");
    await r.send({ text: texts() });
    const agent = await app.staffAccounts.add({ username: "pdata-anna", password: "correct horse battery", displayName: "Anna", role: "admin" });
    await app.desk.claim(agent, ticket.id);
    await app.desk.reply(agent, ticket.id, texts());
    await app.desk.note(agent, ticket.id, texts());
    await app.desk.close(agent, ticket.id, texts().slice(0, 480));
    await expect.poll(async () => (await app.outbox.pending()), { timeout: 10_000 }).toBe(0);
    await r.send({ button: `rate:${ticket.id}:4` });
    await r.send({ text: texts() });
    return { id: r.id, residentId, ticketId: ticket.id };
  };

  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db, log: createLogger("debug", (l) => logLines.push(l)) });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("keeps no unmasked personal code, IBAN or card number in any table or log line", async () => {
    const secrets: Secret[] = fc.sample(fc.tuple(secret, around), { numRuns: 24, seed: 20261201 }).map(([s, [before, after]]) => ({ ...s, text: `${before}${s.text}${after}` }));
    let next = 0;
    const texts = (): string => {
      const a = must(secrets[next++ % secrets.length], "a secret");
      const b = must(secrets[next++ % secrets.length], "a secret");
      return `Lūdzu, palīdziet. ${a.text} un arī ${b.text}`;
    };
    await conversation(texts);
    await conversation(texts);
    // An editor handling the unanswered report copies residents' wordings: taught, out of scope, missing guides.
    await app.staffAccounts.add({ username: "pdata-ieva", password: "an editor password", displayName: "Ieva", role: "editor" });
    const ieva = await StaffClient.login(app.url, "pdata-ieva", "an editor password");
    expect((await ieva.call("POST", "/unanswered/teach", { question: texts(), lang: "lv", guideId: "meter-readings" })).status).toBe(200);
    expect((await ieva.call("POST", "/unanswered/dismiss", { question: texts(), lang: "lv" })).status).toBe(200);
    const todo = await ieva.call("POST", "/unanswered/missing-guides", { question: texts(), lang: "lv", examples: [texts(), texts()] });
    expect(todo.status).toBe(201);
    expect((await ieva.call("POST", `/unanswered/missing-guides/${(todo.json.item as { id: number }).id}/done`, { guideId: "meter-readings" })).status).toBe(200);
    const dump = await dumpAll(db.pool);
    for (const [table, rows] of dump) {
      for (const s of secrets) expect(rows.some((row) => survives(row, s)), `${s.kind} ${s.text} in ${table}`).toBe(false);
    }
    expect(logLines.length).toBeGreaterThan(0);
    for (const s of secrets) expect(logLines.some((line) => survives(line, s)), `${s.text} in the log`).toBe(false);
  }, 120_000);

  it("follows the storage rules in every table of the schema", async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    const keys = await foreignKeys(db.pool);
    // Tables that go with a resident: those referencing residents, and (transitively) tables referencing those.
    const cascades = new Set(["residents"]);
    for (let changed = true; changed;) {
      changed = false;
      for (const k of keys) {
        if (!cascades.has(k.table) && cascades.has(k.references) && k.onDelete === "CASCADE") {
          cascades.add(k.table);
          changed = true;
        }
      }
    }
    for (const { table_name: table } of rows) {
      const reason = TABLES_WITHOUT_RESIDENT_DATA[table] ?? ANONYMISED_ON_FORGET[table];
      const toResidents = keys.filter((k) => k.table === table && k.references === "residents");
      for (const k of toResidents) expect(k.onDelete, `${table}.${k.column}`).toBe(ANONYMISED_ON_FORGET[table] ? "SET NULL" : "CASCADE");
      expect(cascades.has(table) || reason !== undefined,
        `table ${table}: reference residents (or a table that does) ON DELETE CASCADE, or declare it in TABLES_WITHOUT_RESIDENT_DATA (src/store/retention.ts)`).toBe(true);
    }
  });

  it("removes every row about the resident on /forget", async () => {
    let n = 0;
    const marker = `Zīle-Mārtiņš-${Date.now()}`;
    const { id, residentId, ticketId } = await conversation(() => `${marker} ${n++} dzīvo Ozolu ielā 5`);
    // Something waiting in the outbox for them, too.
    await db.pool.query("UPDATE outbox SET done_at = NULL WHERE resident_id = $1", [residentId]);
    const before = await dumpAll(db.pool);
    expect([...before.values()].flat().some((row) => row.includes(marker))).toBe(true);
    const s = await app.service.handle("web", id, { kind: "command", name: "forget" });
    expect(s.replies[0]?.buttons.map((b) => b.id)).toContain("forget:yes");
    await app.service.handle("web", id, { kind: "button", id: "forget:yes" });
    const after = await dumpAll(db.pool);
    for (const [table, rows] of after) {
      expect(rows.filter((row) => row.includes(marker) || row.includes(`"${id}"`)), `rows about the resident left in ${table}`).toEqual([]);
      expect(rows.filter((row) => new RegExp(`"resident_id":${residentId}[,}]`).test(row)), `rows of resident ${residentId} in ${table}`).toEqual([]);
    }
    expect(await app.desk.summary(ticketId)).toBeUndefined();
  }, 60_000);

  it("deletes inactive residents with their sessions and web sessions, and never-used web chats after a day", async () => {
    const active = await session();
    await active.send({ text: "Kā deklarēt dzīvesvietu?" });
    const idle = await session();
    await idle.send({ text: "Kur ir klientu centrs?" });
    const unused = await session();
    const ids = await Promise.all([active, idle, unused].map(async (s) => (await app.store.resident("web", s.id)).id));
    const [activeId, idleId, unusedId] = ids as [number, number, number];
    const age = async (residentId: number, days: number): Promise<void> => {
      for (const [table, column] of [["residents", "created_at"], ["residents", "updated_at"], ["sessions", "updated_at"], ["turns", "created_at"], ["web_sessions", "created_at"], ["web_sessions", "last_seen_at"], ["web_events", "created_at"]] as const) {
        await db.pool.query(`UPDATE ${table} SET ${column} = now() - make_interval(days => $2) WHERE ${table === "residents" ? "id" : "resident_id"} = $1`, [residentId, days]);
      }
    };
    await age(idleId, 100);
    await age(unusedId, 2);
    await db.pool.query("UPDATE residents SET created_at = now() - interval '100 days', updated_at = now() - interval '100 days' WHERE id = $1", [activeId]);
    const result = await purgeOldData(db.pool, 90);
    expect(result.residents).toBeGreaterThanOrEqual(2);
    const left = async (table: string, column = "resident_id", id = 0): Promise<number> => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${column} = $1`, [id])).rows[0]?.n);
    for (const gone of [idleId, unusedId]) {
      expect(await left("residents", "id", gone)).toBe(0);
      expect(await left("sessions", "resident_id", gone)).toBe(0);
      expect(await left("web_sessions", "resident_id", gone)).toBe(0);
    }
    expect(await left("residents", "id", activeId)).toBe(1);
    expect(await left("web_sessions", "resident_id", activeId)).toBe(1);
  }, 60_000);

  it("deletes missing guides marked done after the retention period, and keeps open ones", async () => {
    const insert = "INSERT INTO content_missing_guides (question, lang, author, done_at, done_guide_id) VALUES ($1, 'lv', 'Ieva', $2, $3) RETURNING id";
    const old = await db.pool.query<{ id: string }>(insert, ["kur nopirkt makšķerēšanas karti", new Date(Date.now() - 100 * 86_400_000), "e-identity"]);
    const recent = await db.pool.query<{ id: string }>(insert, ["kur iegūt medību atļauju", new Date(Date.now() - 10 * 86_400_000), "e-identity"]);
    const open = await db.pool.query<{ id: string }>("INSERT INTO content_missing_guides (question, lang, author, created_at) VALUES ('kā reģistrēt laivu', 'lv', 'Ieva', now() - interval '400 days') RETURNING id");
    await purgeOldData(db.pool, 90);
    const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM content_missing_guides WHERE id = ANY($1::bigint[]) ORDER BY id", [[old.rows[0]?.id, recent.rows[0]?.id, open.rows[0]?.id]]);
    expect(rows.map((r) => r.id)).toEqual([recent.rows[0]?.id, open.rows[0]?.id].map(String));
  });
});
