/**
 * The year benchmark (`npm run bench -- --year`): a municipality's year of use seeded in SQL —
 * 33,000 residents, 1,000,000 transcript lines (turns), 20,000 tickets with their messages,
 * ratings, audit entries and counted events, spread over 12 months with realistic mixes of
 * language, channel, guide and outcome — then what it does to the app, on the PostgreSQL server
 * (its own database `bench_year`, created and dropped) and on embedded PGlite (a temporary
 * folder): a turn's latency against the same database empty, the indicators for the year and for
 * a month, the unanswered report for a month, the staff queue and a ticket view, the daily
 * retention job, /forget of a resident with history, and the database size; the first build of
 * the indicators' aggregates after the seed is measured too.
 *
 * Every statement a measured call runs is recorded; when a target is missed the bench runs
 * EXPLAIN ANALYZE on the slowest one and prints the plan's worst step.
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startApp, type RunningApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { refreshReportAggregates } from "../src/staff/reports/aggregates.js";
import { computeIndicators } from "../src/staff/reports/indicators.js";
import { unansweredReport } from "../src/staff/reports/unanswered.js";
import type { StaffMember } from "../src/staff/types.js";
import { openDatabase, type Database } from "../src/store/database.js";
import { migrate } from "../src/store/migrate.js";
import { purgeOldData } from "../src/store/retention.js";
import { must } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Sizes of the seeded year (scaled down with `--year-scale` for a quick look). */
export interface YearSize {
  readonly residents: number;
  readonly turns: number;
  readonly tickets: number;
}

/** The municipality's year: ~33,000 residents, a million transcript lines, 20,000 tickets. */
export const FULL_YEAR: YearSize = { residents: 33_000, turns: 1_000_000, tickets: 20_000 };

/** One measured operation. */
export interface YearMeasure {
  readonly name: string;
  /** Median of the runs (ms). */
  readonly ms: number;
  /** The first run, with cold caches (ms). */
  readonly firstMs: number;
  readonly targetMs?: number;
  /** The slowest statement and its plan's worst step, when the target was missed. */
  readonly worst?: string;
}

/** What one database measured. */
export interface YearResult {
  readonly database: string;
  readonly seedMs: number;
  readonly turnEmpty: { p50: number; p99: number };
  readonly turnYear: { p50: number; p99: number };
  readonly measures: readonly YearMeasure[];
  readonly dbMb: number;
  readonly rows: Readonly<Record<string, number>>;
}

const GUIDES = ["e-invoices", "residence-declaration", "property-tax", "e-address", "e-identity", "meter-readings", "municipal-application", "online-safety", "kindergarten-queue", "social-assistance", "income-declaration", "e-health", "latvija-lv", "client-service-centres", "lifelong-learning", "public-computers", "digital-wednesday", "mobile-digital-class"];
const FLOWS = ["e-invoice-setup", "online-application", "scam-check", "residence-declaration"];
const CENTRES = ["jelgava", "cenu-ozolnieku", "eleja", "gluda", "kalnciema", "valgunde", "vircava", "svete", "sesava", "zalenieki"];
/** What residents type, made up for the bench (not the evaluation questions). */
const QUESTIONS = [
  "ka pieteikt e-rekinu par siltumu", "kā nomaksāt nekustamā īpašuma nodokli", "nevaru ielogoties latvija.lv", "где подать показания счётчика",
  "kak poluchit eparakstu", "man vajag deklarēt dzīvesvietu pie meitas", "how do I read my e-address messages", "vai šī īsziņa no bankas ir īsta",
  "kur ir tuvākais klientu centrs", "rindas numurs bērnudārzā", "как оформить пособие", "es esmu pensionārs un nesaprotu kā iesniegt iesniegumu",
  "parole aizmirsta", "skaitītāja rādījumi ūdenim", "kur var izdrukāt dokumentu", "nesaprotu", "palīdziet lūdzu", "asdf",
];
/** Greetings and thanks that got no answer (the reports do not count them as questions). */
const SMALL_TALK = ["labdien", "Labdien!", "paldies", "Paldies!", "sveiki", "здравствуйте", "спасибо", "hello", "thanks", "ok", "👍"];
/**
 * SQL over the seed's row: the retrieval found a guide to score (a fallback whose text is small
 * talk or that found no guide at all has no score: half the fallbacks).
 */
const SCORED = "NOT (s.intent = 'fallback' AND s.w < 0.5)";
const BOT_TEXTS = ["Lai pieteiktu e-rēķinu, atveriet ...", "1. solis: atveriet latvija.lv ...", "Vai Jūs jautājat par ...?", "Atvainojiet, to es nezinu. ...", "Jūsu jautājums ir nodots ..."];

const sqlList = (xs: readonly string[]): string => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ")}]`;

/** The seeding statements, in order (plain SQL, the same on both databases). */
export function seedStatements(size: YearSize): string[] {
  const pairs = Math.floor(size.turns / 2);
  return [
    `INSERT INTO staff (username, display_name, password_hash, role, centres)
     SELECT 'year-agent-' || i, 'Agent ' || i, 'x', CASE WHEN i = 1 THEN 'admin' ELSE 'agent' END, ARRAY[(${sqlList(CENTRES)})[1 + (i % ${CENTRES.length})]]
     FROM generate_series(1, 12) i`,
    // Residents: 60 % Telegram, 40 % web; 70 % Latvian, 25 % Russian, 5 % English; joined over the year.
    `INSERT INTO residents (channel, chat_id, lang, consent_at, created_at, updated_at)
     SELECT CASE WHEN i % 10 < 6 THEN 'telegram' ELSE 'web' END, 'year-' || i,
            CASE WHEN i % 20 < 14 THEN 'lv' WHEN i % 20 < 19 THEN 'ru' ELSE 'en' END,
            CASE WHEN i % 7 = 0 THEN j END, j, j + (now() - j) * random()
     FROM (SELECT i, now() - interval '365 days' * random() AS j FROM generate_series(1, ${size.residents}) i) s`,
    `INSERT INTO sessions (resident_id, state, updated_at) SELECT id, '{"v":1}'::jsonb, updated_at FROM residents WHERE chat_id LIKE 'year-%'`,
    // Transcript: question/answer pairs in time order; a few residents write a lot (power law); a
    // third of the fallbacks are greetings or thanks, half of them found no guide at all.
    `INSERT INTO turns (resident_id, direction, text, intent, guide_id, flow_id, lang, kind, best_guide, score, coverage, created_at)
     SELECT r.id, d.direction,
            CASE WHEN d.direction = 'out' THEN (${sqlList(BOT_TEXTS)})[1 + floor(s.w * ${BOT_TEXTS.length})::int]
                 WHEN s.intent = 'fallback' AND s.w < 0.3 THEN (${sqlList(SMALL_TALK)})[1 + floor(s.v * ${SMALL_TALK.length})::int]
                 ELSE (${sqlList(QUESTIONS)})[1 + floor(s.v * ${QUESTIONS.length})::int] END,
            s.intent,
            CASE WHEN s.intent IN ('guide', 'clarify') THEN s.guide END,
            CASE WHEN s.intent = 'flow' THEN (${sqlList(FLOWS)})[1 + floor(s.w * ${FLOWS.length})::int] END,
            r.lang,
            CASE WHEN d.direction = 'out' THEN 'bot' WHEN s.w < 0.7 THEN 'text' WHEN s.w < 0.9 THEN 'button' ELSE 'command' END,
            CASE WHEN d.direction = 'in' AND s.intent IN ('guide', 'clarify', 'fallback') AND ${SCORED} THEN s.guide END,
            CASE WHEN d.direction = 'in' AND s.intent IN ('guide', 'clarify', 'fallback') AND ${SCORED} THEN (CASE WHEN s.intent = 'guide' THEN 45 + 50 * s.w ELSE 10 + 40 * s.w END) END,
            CASE WHEN d.direction = 'in' AND s.intent IN ('guide', 'clarify', 'fallback') AND ${SCORED} THEN (CASE WHEN s.intent = 'guide' THEN 0.5 + 0.5 * s.v ELSE 0.6 * s.v END) END,
            s.at + CASE WHEN d.direction = 'out' THEN interval '1 second' ELSE interval '0' END
     FROM (SELECT i, 1 + floor(${size.residents} * power(random(), 1.7))::bigint AS rid, now() - interval '365 days' * random() AS at,
                  random() AS v, random() AS w,
                  (${sqlList(GUIDES)})[1 + floor(power(random(), 1.5) * ${GUIDES.length})::int] AS guide,
                  CASE WHEN i % 100 < 45 THEN 'guide' WHEN i % 100 < 60 THEN 'flow' WHEN i % 100 < 67 THEN 'clarify' WHEN i % 100 < 77 THEN 'fallback'
                       WHEN i % 100 < 79 THEN 'escalate' ELSE NULL END AS intent
           FROM generate_series(1, ${pairs}) i) s
     JOIN residents r ON r.chat_id = 'year-' || s.rid
     CROSS JOIN (VALUES ('in'), ('out')) d(direction)
     ORDER BY s.at, d.direction`,
    // Counted events: feedback on a quarter of the guide answers (a fifth of it 👎), flows started
    // and finished, services done. Inbound and outbound lines alternate, so an inbound line's id
    // halved counts the inbound lines.
    `INSERT INTO events (resident_id, kind, flow_id, guide_id, lang, created_at)
     SELECT t.resident_id,
            CASE WHEN t.intent = 'flow' THEN (CASE WHEN t.id % 3 = 0 THEN 'flow-completed' ELSE 'flow-started' END)
                 WHEN (t.id / 2) % 5 = 0 THEN 'feedback-down' ELSE 'feedback-up' END,
            t.flow_id, t.guide_id, t.lang, t.created_at + interval '30 seconds'
     FROM turns t WHERE t.direction = 'in' AND (t.intent = 'flow' OR (t.intent = 'guide' AND (t.id / 2) % 4 = 0))
     ORDER BY t.created_at`,
    `INSERT INTO events (resident_id, kind, flow_id, lang, created_at)
     SELECT resident_id, CASE WHEN flow_id = 'e-invoice-setup' THEN 'e-invoice-done' ELSE 'application-done' END, flow_id, lang, created_at + interval '5 minutes'
     FROM events WHERE kind = 'flow-completed' AND flow_id IN ('e-invoice-setup', 'online-application') ORDER BY created_at`,
    // Tickets: the last few still open (the queue), the rest closed, half of them rated.
    `INSERT INTO tickets (resident_id, channel, centre_id, lang, status, assignee_id, contact, question, context, created_at, claimed_at, first_response_at, closed_at, close_reason, rating)
     SELECT r.id, r.channel, (${sqlList(CENTRES)})[1 + floor(power(s.v, 2) * ${CENTRES.length})::int], r.lang,
            CASE WHEN s.i > ${size.tickets} - 25 THEN 'waiting' WHEN s.i > ${size.tickets} - 40 THEN 'assigned' ELSE 'closed' END,
            CASE WHEN s.i > ${size.tickets} - 25 THEN NULL ELSE (SELECT min(id) FROM staff) + (s.i % 12) END,
            CASE WHEN s.i % 8 = 0 THEN 'phone' ELSE 'chat' END,
            (${sqlList(QUESTIONS)})[1 + floor(s.w * ${QUESTIONS.length})::int],
            jsonb_build_object('reason', CASE WHEN s.i % 3 = 0 THEN 'flowStep' ELSE 'askedForPerson' END),
            s.at,
            CASE WHEN s.i <= ${size.tickets} - 25 THEN s.at + interval '1 minute' * (2 + 120 * s.w) END,
            CASE WHEN s.i <= ${size.tickets} - 25 THEN s.at + interval '1 minute' * (3 + 150 * s.w) END,
            CASE WHEN s.i <= ${size.tickets} - 40 THEN s.at + interval '1 hour' * (1 + 60 * s.v) END,
            CASE WHEN s.i <= ${size.tickets} - 40 THEN 'resolved' END,
            CASE WHEN s.i <= ${size.tickets} - 40 AND s.i % 2 = 0 THEN 5 - floor(power(s.v, 2) * 4.99)::int END
     FROM (SELECT i, 1 + floor(${size.residents} * random())::bigint AS rid, random() AS v, random() AS w,
                  CASE WHEN i > ${size.tickets} - 40 THEN now() - interval '1 minute' * (${size.tickets} + 1 - i) * 7
                       ELSE now() - interval '365 days' + interval '1 second' * (i * (365 * 86400.0 - 86400 * 2) / ${size.tickets}) END AS at
           FROM generate_series(1, ${size.tickets}) i) s
     JOIN residents r ON r.chat_id = 'year-' || s.rid
     ORDER BY s.i`,
    `INSERT INTO ticket_messages (ticket_id, author, staff_id, text, created_at)
     SELECT k.id, m.author, CASE WHEN m.author = 'staff' THEN k.assignee_id END,
            CASE m.author WHEN 'resident' THEN 'Paldies, bet man vēl nav skaidrs' WHEN 'staff' THEN 'Labdien! Es Jums palīdzēšu. ...' ELSE 'Sarunu pārņēma darbinieks' END,
            k.created_at + interval '1 minute' * m.n * 3
     FROM tickets k CROSS JOIN (VALUES (1, 'resident'), (2, 'system'), (3, 'staff'), (4, 'resident'), (5, 'staff')) m(n, author)
     WHERE m.author <> 'staff' OR k.assignee_id IS NOT NULL
     ORDER BY k.id, m.n`,
    `INSERT INTO audit_log (staff_id, ticket_id, action, at)
     SELECT k.assignee_id, k.id, a.action, k.created_at + interval '1 minute' * a.n * 4
     FROM tickets k CROSS JOIN (VALUES (1, 'viewed'), (2, 'claimed'), (3, 'replied'), (4, 'closed')) a(n, action)
     WHERE k.assignee_id IS NOT NULL AND (a.action <> 'closed' OR k.status = 'closed')
     ORDER BY k.id, a.n`,
    "ANALYZE",
  ];
}

/** Records every statement run through the pool while `fn` runs. */
function recording(pool: pg.Pool): { start(): void; stop(): { sql: string; values: unknown[]; ms: number }[] } {
  let log: { sql: string; values: unknown[]; ms: number }[] | undefined;
  const original = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (!log || typeof args[args.length - 1] === "function") return original(...args);
    const [first, second] = args;
    const sql = typeof first === "string" ? first : (first as { text: string }).text;
    const values = (Array.isArray(second) ? second : (first as { values?: unknown[] }).values) ?? [];
    const t0 = performance.now();
    const list = log;
    return original(...args).finally(() => list.push({ sql, values, ms: performance.now() - t0 }));
  };
  return {
    start: () => {
      log = [];
    },
    stop: () => {
      const out = log ?? [];
      log = undefined;
      return out;
    },
  };
}

interface PlanNode { "Node Type": string; "Actual Total Time": number; "Actual Loops": number; "Relation Name"?: string; "Index Name"?: string; "Actual Rows": number; Plans?: PlanNode[] }

/** The plan node with the largest time of its own (its total minus its children's). */
function worstStep(plan: PlanNode): { node: PlanNode; selfMs: number } {
  let best = { node: plan, selfMs: -1 };
  const visit = (n: PlanNode): void => {
    const total = n["Actual Total Time"] * n["Actual Loops"];
    const children = (n.Plans ?? []).reduce((s, c) => s + c["Actual Total Time"] * c["Actual Loops"], 0);
    if (total - children > best.selfMs) best = { node: n, selfMs: total - children };
    (n.Plans ?? []).forEach(visit);
  };
  visit(plan);
  return best;
}

async function explainWorst(pool: pg.Pool, statements: { sql: string; values: unknown[]; ms: number }[]): Promise<string | undefined> {
  const slowest = [...statements].filter((s) => /^\s*(SELECT|WITH)/i.test(s.sql)).sort((a, b) => b.ms - a.ms)[0];
  if (!slowest) return undefined;
  try {
    const { rows } = await pool.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${slowest.sql}`, slowest.values);
    const root = rows[0]?.["QUERY PLAN"][0]?.Plan;
    if (!root) return undefined;
    const { node, selfMs } = worstStep(root);
    const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
    const index = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
    return `slowest statement ${slowest.ms.toFixed(0)} ms (${slowest.sql.replace(/\s+/g, " ").trim().slice(0, 80)}…); worst step: ${node["Node Type"]}${on}${index}, ${selfMs.toFixed(0)} ms of its own, ${node["Actual Rows"]} rows × ${node["Actual Loops"]} loops`;
  } catch (error) {
    return `EXPLAIN failed: ${String(error)}`;
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

/** Sends `count` turns from `residents` web chat residents, one after another; p50/p99 in ms. */
async function turnLatency(app: RunningApp, prefix: string, count: number): Promise<{ p50: number; p99: number }> {
  const texts = ["kā deklarēt dzīvesvietu", "/menu", "ka samaksat nekustama ipasuma nodokli", "paldies", "как подать показания счётчика", "e-adrese"];
  const times: number[] = [];
  for (let i = 0; i < count + 20; i++) {
    const text = must(texts[i % texts.length], "a turn's text");
    const input = text.startsWith("/") ? { kind: "command" as const, name: text.slice(1) } : { kind: "text" as const, text };
    const t0 = performance.now();
    await app.service.handle("web", `${prefix}${i % 25}`, input);
    if (i >= 20) times.push(performance.now() - t0); // the first 20 warm up
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function measureOp(pool: pg.Pool, name: string, runs: number, fn: () => Promise<unknown>, targetMs?: number): Promise<YearMeasure> {
  const rec = recording(pool);
  const times: number[] = [];
  let slowest: { sql: string; values: unknown[]; ms: number }[] = [];
  let slowestMs = -1;
  for (let i = 0; i < runs; i++) {
    rec.start();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const statements = rec.stop();
    times.push(ms);
    if (ms > slowestMs) {
      slowestMs = ms;
      slowest = statements;
    }
  }
  const ms = median(times);
  const worst = targetMs !== undefined && ms > targetMs ? await explainWorst(pool, slowest) : undefined;
  return { name, ms, firstMs: times[0] ?? 0, ...(targetMs !== undefined ? { targetMs } : {}), ...(worst ? { worst } : {}) };
}

/** Seeds a year into `database` (migrated, empty) and measures; `reportTargetMs` differs per database. */
async function runOn(label: string, database: Database, size: YearSize, reportTargetMs: number): Promise<YearResult> {
  const config = loadConfig({ KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1" });
  const app = await startApp(config, silentLogger, { database });
  try {
    const pool = database.pool;
    const turnEmpty = await turnLatency(app, "empty-", 200);
    const s0 = performance.now();
    for (const sql of seedStatements(size)) await pool.query(sql);
    const seedMs = performance.now() - s0;
    // The indicators' aggregates (migration 100) for the seeded year: what the app's catch-up
    // does once after the migration on a database with history (later runs see minutes of it).
    const a0 = performance.now();
    await refreshReportAggregates(pool);
    const aggregatesMs = performance.now() - a0;
    const turnYear = await turnLatency(app, "year-", 200);
    const count = async (table: string): Promise<number> => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
    const rows: Record<string, number> = {};
    for (const table of ["residents", "turns", "events", "tickets", "ticket_messages", "audit_log"]) rows[table] = await count(table);

    const now = new Date();
    const monthTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const monthFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const yearFrom = new Date(now.getTime() - 366 * 86400_000);
    const staffRow = (await pool.query<{ id: string; username: string; display_name: string; centres: string[] }>("SELECT id, username, display_name, centres FROM staff WHERE username = 'year-agent-2'")).rows[0];
    const agent: StaffMember = { id: Number(staffRow?.id), username: "year-agent-2", displayName: staffRow?.display_name ?? "", role: "agent", centres: staffRow?.centres ?? [] };
    const admin: StaffMember = { ...agent, role: "admin", centres: [] };
    const ticketId = Number((await pool.query<{ id: string }>("SELECT k.id FROM tickets k JOIN residents r ON r.id = k.resident_id WHERE k.status = 'closed' ORDER BY (SELECT count(*) FROM turns t WHERE t.resident_id = r.id) DESC LIMIT 1")).rows[0]?.id);
    const busy = (await pool.query<{ id: string }>("SELECT resident_id AS id FROM turns WHERE resident_id IN (SELECT resident_id FROM tickets) GROUP BY resident_id ORDER BY count(*) DESC OFFSET 1 LIMIT 1")).rows[0];

    const measures: YearMeasure[] = [{ name: "indicators' aggregates, first build for the seeded year", ms: aggregatesMs, firstMs: aggregatesMs }];
    measures.push(await measureOp(pool, "indicators, the whole year", 3, () => computeIndicators(pool, { from: yearFrom, to: now }), reportTargetMs));
    measures.push(await measureOp(pool, "indicators, one month", 3, () => computeIndicators(pool, { from: monthFrom, to: monthTo }), reportTargetMs));
    measures.push(await measureOp(pool, "unanswered report, one month", 3, () => unansweredReport(pool, { from: monthFrom, to: monthTo }), reportTargetMs));
    measures.push(await measureOp(pool, "unanswered report, the whole year", 1, () => unansweredReport(pool, { from: yearFrom, to: now }), reportTargetMs));
    measures.push(await measureOp(pool, "staff queue (an agent's centre)", 10, () => app.desk.list(agent, {}), 50));
    measures.push(await measureOp(pool, "staff queue (admin, all centres)", 10, () => app.desk.list(admin, {}), 50));
    measures.push(await measureOp(pool, "closed tickets list", 10, () => app.desk.list(admin, { status: "closed" }), 50));
    measures.push(await measureOp(pool, "ticket view (resident with the longest history)", 10, () => app.desk.get(admin, ticketId), 50));
    measures.push(await measureOp(pool, "/forget of a resident with history", 1, async () => {
      await app.desk.forgetResident(Number(busy?.id));
      await app.store.forget(Number(busy?.id));
    }));
    const dbMb = Number((await pool.query<{ b: string }>("SELECT pg_database_size(current_database()) AS b")).rows[0]?.b ?? 0) / 2 ** 20;
    // The daily job keeping a year: it removes the day that aged out.
    measures.push(await measureOp(pool, "retention job, daily (keep 365 days)", 1, () => purgeOldData(pool, 365)));
    measures.push(await measureOp(pool, "retention job, first run at the default 90 days (removes 9 months)", 1, () => purgeOldData(pool, 90)));
    return { database: label, seedMs, turnEmpty, turnYear, measures, dbMb, rows };
  } finally {
    await app.close();
  }
}

/** Runs the year on PGlite and, when `databaseUrl` answers, on the PostgreSQL server (own database). */
export async function runYear(databaseUrl: string | undefined, size: YearSize = FULL_YEAR): Promise<YearResult[]> {
  const results: YearResult[] = [];
  if (databaseUrl) {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const name = "bench_year";
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    try {
      const database = await openDatabase({ kind: "postgres", url: url.toString() });
      try {
        await migrate(database.pool);
        results.push(await runOn("PostgreSQL server", database, size, 1000));
      } finally {
        await database.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "digipaligs-year-"));
  try {
    const database = await openDatabase({ kind: "pglite", dataDir });
    try {
      await migrate(database.pool);
      results.push(await runOn("embedded PGlite", database, size, 3000));
    } finally {
      await database.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return results;
}
