/**
 * The municipality's indicators and the editors' unanswered-questions report, on a known seed.
 *
 * The seed (all times in Latvia, winter time UTC+2; the period is 2026-11-01 … 2026-11-30):
 *
 * | resident | when (Riga)              | inbound turns                                                                 |
 * |----------|--------------------------|-------------------------------------------------------------------------------|
 * | r10 ru   | Mon 11-02 00:30 (W45)    | "как подать заявление" → guide municipal-application (Sunday evening in UTC)   |
 * | r1 lv    | Sat 10-31 23:50          | "Kā saņemt e-rēķinu?" → guide — before the period, not counted               |
 * | r1 lv    | Mon 11-02 10:00–10:10    | "Kā saņemt e-rēķinu?" → guide e-invoices; 👍; e-invoice set-up started, done   |
 * | r1 lv    | Mon 11-02 10:40          | "nekustamā īpašuma nodoklis" → guide property-tax (30 min later: a new conversation) |
 * | r2 lv    | Tue 11-03 09:00–09:03    | "kā pieteikt suni", "ka pieteikt suni?" → fallback ×2; two intake presses; ticket T1 09:05 |
 * | r3 ru    | Wed 11-04 12:00–12:01    | "как получить счёт по e-mail" → guide e-invoices; 👎; ticket T2 12:05          |
 * | r4 en    | Mon 11-09 14:00–14:02    | guide residence-declaration; "Where can I park my boat? …phone…e-mail…" → fallback |
 * | r5 lv    | Tue 11-10 18:00–18:02    | "labdien" (small talk), "kā reģistrēt suni", "kā pieteikt savu suni" → fallback |
 * | r5 lv    | Wed 11-11 18:00          | "kā pieteikt suni" → fallback                                                 |
 * | r6 lv    | Tue 11-17 10:00–10:05    | guide municipal-application; online application started, a step failed; ticket T3 10:06 |
 * | r7 en    | Tue 11-24 09:00          | no turns; ticket T4                                                           |
 * | r8 lv    | Wed 11-25 11:00–11:31    | guide municipal-application; online application started and submitted (29 min later: the same conversation) |
 * | r9 lv    | Mon 11-30 08:00–08:05    | "kā mainīt paroli" (score 29.9), "ko darīt ja bankā nerāda rēķinu" (coverage 0.415): low confidence |
 * | r9 lv    | Mon 11-30 23:30 (W49)    | "Kā saņemt e-rēķinu?" → guide (the last day of the period, late evening)     |
 * | r2 lv    | Tue 12-01 00:10          | "kā pieteikt suni" → fallback — after the period, not counted                 |
 * | r5 lv    | Wed 12-02 10:00          | ticket T5 — after the period, not counted                                     |
 *
 * Tickets (minutes after creation): T1 ozolnieku, first response 10, closed 60, rated 5;
 * T2 no parish (→ jelgava), topic e-invoices, 30 / 120 / 3; T3 elejas (→ eleja), flow
 * online-application, 50 / open; T4 cenu (→ cenu-ozolnieku), topic e-invoices, 20 / 240 / 4.
 *
 * Turns are written through the store exactly as the conversation service writes them (the
 * retrieval fields included), so that the figures do not depend on how the shipped guides score.
 * The seeded suite runs on PGlite and, when one answers, on a PostgreSQL server. A second suite
 * drives a real conversation through the service; a third runs the CLI on a seeded DATA_DIR.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lang } from "../../src/core/types.js";
import {
  computeIndicators, indicatorsToCsv, maskContacts, unansweredReport, unansweredToCsv, type UnansweredGroup,
} from "../../src/staff/reports/index.js";
import type { StaffMember, TicketContext } from "../../src/staff/types.js";
import { ConversationStore, type StoredEvent, type TranscriptLine as Turn } from "../../src/store/conversation-store.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { commitTurn } from "../support/store-inspect.js";
import { cli } from "../support/cli.js";
import { ifAssigned, must } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

/** A wall-clock time in Latvia in November/December 2026 (winter time, UTC+2). */
const riga = (local: string): Date => new Date(`${local.replace(" ", "T")}:00+02:00`);

/** November 2026 in Latvia: from 1 Nov 00:00 to 1 Dec 00:00. */
const NOVEMBER = { from: riga("2026-11-01 00:00"), to: riga("2026-12-01 00:00") };

interface Answer {
  readonly intent: "guide" | "fallback" | "clarify";
  /** The guide answered (intent guide). */
  readonly guide?: string;
  /** The retrieval result: closest guide, score, coverage. */
  readonly best?: readonly [string, number, number];
}

/** Writes turns and events as the conversation service does, then moves them to a given time. */
class Seeder {
  constructor(private readonly pool: pg.Pool, private readonly store: ConversationStore) {}

  async commit(chat: string, at: string, lang: Lang, turns: readonly Turn[], events: readonly StoredEvent[] = []): Promise<void> {
    const resident = await this.store.resident("web", chat, lang);
    const { rows } = await this.pool.query<{ t: string; e: string }>(
      "SELECT (SELECT COALESCE(max(id), 0) FROM turns) AS t, (SELECT COALESCE(max(id), 0) FROM events) AS e");
    const version = (await this.store.loadSession(resident.id))?.version ?? 0;
    expect(await commitTurn(this.store, resident.id, version, { state: { misses: 0 }, turns, events, lang })).toBe(true);
    await this.pool.query("UPDATE turns SET created_at = $3 WHERE resident_id = $1 AND id > $2", [resident.id, rows[0]?.t, riga(at)]);
    await this.pool.query("UPDATE events SET created_at = $3 WHERE resident_id = $1 AND id > $2", [resident.id, rows[0]?.e, riga(at)]);
  }

  /** A typed question and the bot's answer; a guide answer starts the feedback flow. */
  async ask(chat: string, at: string, lang: Lang, text: string, answer: Answer): Promise<void> {
    const guide = answer.intent === "guide" ? { guideId: must(answer.guide, "the answered guide"), flowId: "feedback", stepId: "did-it-help" } : {};
    const best = answer.best ? { bestGuide: answer.best[0], score: answer.best[1], coverage: answer.best[2] } : {};
    await this.commit(chat, at, lang, [
      { direction: "in", text, intent: answer.intent, lang, ...guide, ...best },
      { direction: "out", text: answer.intent === "guide" ? "📘 …\n\nVai tas Jums palīdzēja?" : "Atvainojiet, par šo es vēl nezinu.", intent: answer.intent, lang, ...guide },
    ], answer.intent === "guide" ? [{ kind: "flow-started", flowId: "feedback", lang }] : []);
  }

  /** A button press (a line of kind `button` with the label as its text). */
  async press(chat: string, at: string, lang: Lang, label: string, meta: Pick<Turn, "intent" | "flowId" | "stepId" | "guideId">, events: readonly StoredEvent[] = []): Promise<void> {
    await this.commit(chat, at, lang, [
      { direction: "in", kind: "button", text: label, lang, ...meta },
      { direction: "out", text: "…", lang, ...meta },
    ], events);
  }
}

/** The first question a ticket holds: created at a given time, answered and closed minutes later. */
interface TicketSeed {
  readonly chat: string;
  readonly lang: Lang;
  readonly at: string;
  readonly parish?: string;
  readonly question: string;
  readonly context: TicketContext;
  readonly firstResponse?: number;
  readonly closed?: number;
  readonly rating?: number;
}

async function seedTicket(app: App, pool: pg.Pool, staff: StaffMember, t: TicketSeed): Promise<number> {
  const ticket = await app.desk.createTicket({ channel: "web", chatId: t.chat, lang: t.lang, question: t.question, context: t.context, ...(t.parish ? { parish: t.parish } : {}) });
  if (t.firstResponse !== undefined) {
    await app.desk.claim(staff, ticket.id);
    await app.desk.reply(staff, ticket.id, "Labdien! Palīdzēšu.");
  }
  if (t.closed !== undefined) await app.desk.close(staff, ticket.id, "Atbildēts");
  if (t.rating !== undefined) await app.desk.rate(ticket.id, t.rating);
  await pool.query(
    `UPDATE tickets SET created_at = $2,
       claimed_at = CASE WHEN claimed_at IS NULL THEN NULL ELSE $2::timestamptz + interval '5 minutes' END,
       first_response_at = CASE WHEN first_response_at IS NULL THEN NULL ELSE $2::timestamptz + make_interval(mins => $3) END,
       closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $2::timestamptz + make_interval(mins => $4) END
     WHERE id = $1`,
    [ticket.id, riga(t.at), t.firstResponse ?? 0, t.closed ?? 0]);
  return ticket.id;
}

const GUIDE = (guide: string, score: number, coverage = 1): Answer => ({ intent: "guide", guide, best: [guide, score, coverage] });
const FALLBACK = (best?: readonly [string, number, number]): Answer => ({ intent: "fallback", ...(best ? { best } : {}) });
const FLOW = (flowId: string, stepId: string) => ({ intent: "flow" as const, flowId, stepId });

async function seedNovember(app: App, pool: pg.Pool): Promise<void> {
  const s = new Seeder(pool, app.store);
  const staff = await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "admin" });

  await s.ask("r10", "2026-11-02 00:30", "ru", "как подать заявление", GUIDE("municipal-application", 95.5));

  await s.ask("r1", "2026-10-31 23:50", "lv", "Kā saņemt e-rēķinu?", GUIDE("e-invoices", 327.079));
  await s.ask("r1", "2026-11-02 10:00", "lv", "Kā saņemt e-rēķinu?", GUIDE("e-invoices", 327.079));
  await s.press("r1", "2026-11-02 10:01", "lv", "👍 Jā", FLOW("feedback", "thanks"), [
    { kind: "feedback-up", flowId: "feedback", stepId: "did-it-help", guideId: "e-invoices", lang: "lv" },
    { kind: "flow-completed", flowId: "feedback", stepId: "thanks", lang: "lv" },
  ]);
  await s.press("r1", "2026-11-02 10:03", "lv", "Soli pa solim", FLOW("e-invoice-setup", "which-bill"), [{ kind: "flow-started", flowId: "e-invoice-setup", lang: "lv" }]);
  await s.press("r1", "2026-11-02 10:10", "lv", "✅ Izdarīts", FLOW("e-invoice-setup", "done"), [
    { kind: "e-invoice-done", flowId: "e-invoice-setup", stepId: "done", lang: "lv" },
    { kind: "flow-completed", flowId: "e-invoice-setup", stepId: "done", lang: "lv" },
  ]);
  await s.ask("r1", "2026-11-02 10:40", "lv", "nekustamā īpašuma nodoklis", GUIDE("property-tax", 287.264));

  await s.ask("r2", "2026-11-03 09:00", "lv", "kā pieteikt suni", FALLBACK(["kindergarten-queue", 34.227, 0.272]));
  await s.ask("r2", "2026-11-03 09:01", "lv", "ka pieteikt suni?", FALLBACK(["kindergarten-queue", 34.227, 0.272]));
  await s.press("r2", "2026-11-03 09:02", "lv", "🙋 Runāt ar cilvēku", { intent: "escalate" });
  await s.press("r2", "2026-11-03 09:03", "lv", "✅ Jā, nodot darbiniekam", { intent: "escalate" });
  await seedTicket(app, pool, staff, {
    chat: "r2", lang: "lv", at: "2026-11-03 09:05", parish: "ozolnieku", question: "ka pieteikt suni?",
    context: { reason: "askedForPerson", lastQuestion: "ka pieteikt suni?" }, firstResponse: 10, closed: 60, rating: 5,
  });

  await s.ask("r3", "2026-11-04 12:00", "ru", "как получить счёт по e-mail", GUIDE("e-invoices", 428.294));
  await s.press("r3", "2026-11-04 12:01", "ru", "👎 Нет", FLOW("feedback", "not-helped"), [
    { kind: "feedback-down", flowId: "feedback", stepId: "did-it-help", guideId: "e-invoices", lang: "ru" },
  ]);
  await seedTicket(app, pool, staff, {
    chat: "r3", lang: "ru", at: "2026-11-04 12:05", question: "Счёт не приходит на почту",
    context: { reason: "askedForPerson", guide: "e-invoices", lastQuestion: "как получить счёт по e-mail" }, firstResponse: 30, closed: 120, rating: 3,
  });

  await s.ask("r4", "2026-11-09 14:00", "en", "How do I declare my residence", GUIDE("residence-declaration", 119.948));
  await s.ask("r4", "2026-11-09 14:02", "en", "Where can I park my boat? My number is +371 29123456, e-mail boat.owner@example.com", FALLBACK(["e-invoices", 171.617, 0.121]));

  await s.ask("r5", "2026-11-10 18:00", "lv", "labdien", FALLBACK());
  await s.ask("r5", "2026-11-10 18:01", "lv", "kā reģistrēt suni", FALLBACK(["e-health", 3.831, 0.416]));
  await s.ask("r5", "2026-11-10 18:02", "lv", "kā pieteikt savu suni", FALLBACK(["kindergarten-queue", 68.759, 0.365]));
  await s.ask("r5", "2026-11-11 18:00", "lv", "kā pieteikt suni", FALLBACK(["kindergarten-queue", 34.227, 0.272]));

  await s.ask("r6", "2026-11-17 10:00", "lv", "kā iesniegt iesniegumu", GUIDE("municipal-application", 140.759));
  await s.press("r6", "2026-11-17 10:02", "lv", "Soli pa solim", FLOW("online-application", "portal"), [{ kind: "flow-started", flowId: "online-application", lang: "lv" }]);
  await s.press("r6", "2026-11-17 10:05", "lv", "❌ Neizdevās", FLOW("online-application", "attach"), [{ kind: "step-failed", flowId: "online-application", stepId: "attach", lang: "lv" }]);
  await seedTicket(app, pool, staff, {
    chat: "r6", lang: "lv", at: "2026-11-17 10:06", parish: "elejas",
    question: "Nevaru pievienot pielikumu, mans tālrunis 26123456, e-pasts janis.berzins@example.lv",
    context: { reason: "flowChoice", note: "🙋 Runāt ar cilvēku", flow: "online-application", step: "attach" }, firstResponse: 50,
  });

  await seedTicket(app, pool, staff, {
    chat: "r7", lang: "en", at: "2026-11-24 09:00", parish: "cenu", question: "My bank does not show e-invoices",
    context: { reason: "askedForPerson", guide: "e-invoices", lastQuestion: "My bank does not show e-invoices" }, firstResponse: 20, closed: 240, rating: 4,
  });

  await s.ask("r8", "2026-11-25 11:00", "lv", "kā iesniegt iesniegumu", GUIDE("municipal-application", 140.759));
  await s.press("r8", "2026-11-25 11:02", "lv", "Soli pa solim", FLOW("online-application", "portal"), [{ kind: "flow-started", flowId: "online-application", lang: "lv" }]);
  await s.press("r8", "2026-11-25 11:31", "lv", "✅ Izdarīts", FLOW("online-application", "sent"), [
    { kind: "application-done", flowId: "online-application", stepId: "sent", lang: "lv" },
    { kind: "flow-completed", flowId: "online-application", stepId: "sent", lang: "lv" },
  ]);

  await s.ask("r9", "2026-11-30 08:00", "lv", "kā mainīt paroli", GUIDE("kindergarten-queue", 29.934, 0.5));
  await s.ask("r9", "2026-11-30 08:05", "lv", "ko darīt ja bankā nerāda rēķinu", GUIDE("e-invoices", 117.418, 0.415));
  await s.ask("r9", "2026-11-30 23:30", "lv", "Kā saņemt e-rēķinu?", GUIDE("e-invoices", 327.079));

  await s.ask("r2", "2026-12-01 00:10", "lv", "kā pieteikt suni", FALLBACK(["kindergarten-queue", 34.227, 0.272]));
  await seedTicket(app, pool, staff, {
    chat: "r5", lang: "lv", at: "2026-12-02 10:00", parish: "ozolnieku", question: "kā reģistrēt suni",
    context: { reason: "askedForPerson", lastQuestion: "kā reģistrēt suni" }, firstResponse: 1, closed: 2, rating: 1,
  });
}

const targets = await databaseTargets("reports");

describe.each(targets)("indicators and unanswered questions for November 2026 (seeded), on $name", (target) => {
  let db: Database;
  let app: App;
  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    await seedNovember(app, db.pool);
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("computes every indicator of the period exactly", async () => {
    const ind = await computeIndicators(db.pool, NOVEMBER);
    expect(ind).toEqual({
      period: { from: "2026-10-31T22:00:00.000Z", to: "2026-11-30T22:00:00.000Z", timeZone: "Europe/Riga", conversationGapMinutes: 30 },
      // 12 conversations: r10, r1 ×2 (30 minutes apart), r2, r3, r4, r5 ×2 (a day apart), r6,
      // r8 (29 minutes between two presses: one conversation), r9 ×2.
      // 27 inbound turns; 16 questions ("labdien" and the button presses are not questions).
      totals: { conversations: 12, residents: 9, inboundMessages: 27, questions: 16 },
      weeks: [
        // 1 November is a Sunday: week 44 is in the period, without activity.
        { week: "2026-W44", weekStart: "2026-10-26", conversations: 0, residents: 0, questions: 0 },
        { week: "2026-W45", weekStart: "2026-11-02", conversations: 5, residents: 4, questions: 6 },
        { week: "2026-W46", weekStart: "2026-11-09", conversations: 3, residents: 2, questions: 5 },
        { week: "2026-W47", weekStart: "2026-11-16", conversations: 1, residents: 1, questions: 1 },
        { week: "2026-W48", weekStart: "2026-11-23", conversations: 1, residents: 1, questions: 1 },
        { week: "2026-W49", weekStart: "2026-11-30", conversations: 2, residents: 1, questions: 3 },
      ],
      // All 12 have questions; 9 had a guide answer (not r2, not r5 ×2); of those r3 (👎 and a
      // ticket), r4 ("I don't know" to the boat question) and r6 (ticket) are not resolved: 6 of 12.
      resolvedByBot: { conversationsWithQuestions: 12, conversationsWithGuideAnswer: 9, conversationsResolved: 6, share: 0.5 },
      escalations: {
        tickets: 4,
        byTopic: [{ key: "e-invoices", count: 2 }, { key: "online-application", count: 1 }, { key: "unknown", count: 1 }],
        byParish: [{ key: "cenu", count: 1 }, { key: "elejas", count: 1 }, { key: "ozolnieku", count: 1 }, { key: "unknown", count: 1 }],
        byCentre: [{ key: "cenu-ozolnieku", count: 2 }, { key: "eleja", count: 1 }, { key: "jelgava", count: 1 }],
      },
      staffTimes: {
        // 10, 20, 30, 50: median 25, p90 = 30 + 0.7 × (50 − 30) = 44.
        firstResponseMinutes: { tickets: 4, median: 25, p90: 44 },
        // 60, 120, 240: median 120, p90 = 120 + 0.8 × (240 − 120) = 216.
        resolutionMinutes: { tickets: 3, median: 120, p90: 216 },
      },
      satisfaction: { ratings: 3, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 } },
      languages: {
        residents: [{ key: "lv", count: 6 }, { key: "ru", count: 2 }, { key: "en", count: 1 }],
        inboundMessages: [{ key: "lv", count: 22 }, { key: "ru", count: 3 }, { key: "en", count: 2 }],
      },
      guides: [
        { id: "e-invoices", answers: 4, residents: 3 },
        { id: "municipal-application", answers: 3, residents: 3 },
        { id: "kindergarten-queue", answers: 1, residents: 1 },
        { id: "property-tax", answers: 1, residents: 1 },
        { id: "residence-declaration", answers: 1, residents: 1 },
      ],
      flows: [
        { id: "feedback", started: 10, completed: 1 },
        { id: "online-application", started: 2, completed: 1 },
        { id: "e-invoice-setup", started: 1, completed: 1 },
      ],
      // Guided: answered from the guide (e-invoices: r1, r3, r9; municipal-application: r10, r6,
      // r8) or started the flow (r1; r6, r8).
      outcomes: {
        eInvoices: { residentsGuided: 3, residentsAnswered: 3, residentsStartedSetup: 1, residentsCompleted: 1 },
        onlineApplications: { residentsGuided: 3, residentsAnswered: 3, residentsStartedFlow: 2, residentsCompleted: 1 },
      },
    });
    // Aggregates only: no question text, no phone numbers, no resident or ticket ids.
    const json = JSON.stringify(ind);
    expect(json).not.toMatch(/suni|boat|29123456|example\.com|r\d+"/);
  });

  it("counts a single day: the late evening of 30 November belongs to it", async () => {
    const ind = await computeIndicators(db.pool, { from: riga("2026-11-30 00:00"), to: riga("2026-12-01 00:00") });
    expect(ind.totals).toEqual({ conversations: 2, residents: 1, inboundMessages: 3, questions: 3 });
    expect(ind.weeks).toEqual([{ week: "2026-W49", weekStart: "2026-11-30", conversations: 2, residents: 1, questions: 3 }]);
    expect(ind.escalations.tickets).toBe(0);
    expect(ind.staffTimes.firstResponseMinutes).toEqual({ tickets: 0, median: null, p90: null });
    expect(ind.satisfaction).toEqual({ ratings: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
  });

  it("refuses an empty or reversed period", async () => {
    await expect(computeIndicators(db.pool, { from: NOVEMBER.to, to: NOVEMBER.from })).rejects.toThrow(RangeError);
    await expect(unansweredReport(db.pool, { from: NOVEMBER.from, to: NOVEMBER.from })).rejects.toThrow(/end after it starts/);
  });

  it("writes the indicators as a flat section,key,value CSV for Excel", async () => {
    const csv = indicatorsToCsv(await computeIndicators(db.pool, NOVEMBER));
    expect(csv.startsWith("\uFEFFsection,key,value\r\n")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines.every((l) => l.split(",").length === 3)).toBe(true);
    expect(lines).toEqual(expect.arrayContaining([
      "period,from,2026-10-31T22:00:00.000Z",
      "totals,conversations,12",
      "totals,questions,16",
      "weeks.conversations,2026-W45,5",
      "weeks.weekStart,2026-W49,2026-11-30",
      "resolvedByBot,share,0.5",
      "escalations.byTopic,e-invoices,2",
      "escalations.byCentre,cenu-ozolnieku,2",
      "staffTimes.firstResponseMinutes,median,25",
      "staffTimes.resolutionMinutes,p90,216",
      "satisfaction,average,4",
      "satisfaction.distribution,5,1",
      "languages.residents,ru,2",
      "guides.answers,e-invoices,4",
      "flows.completed,e-invoice-setup,1",
      "outcomes.eInvoices,residentsCompleted,1",
      "outcomes.onlineApplications,residentsStartedFlow,2",
      "outcomes.onlineApplications,residentsGuided,3",
    ]));
    // 4 period + 4 totals + 6 weeks × 4 + 4 resolved + 1 + 3 + 4 + 3 escalations + 6 times
    // + 2 + 5 satisfaction + 3 + 3 languages + 5 × 2 guides + 3 × 2 flows + 4 + 4 outcomes.
    expect(lines).toHaveLength(1 + 4 + 4 + 24 + 4 + 11 + 6 + 7 + 6 + 10 + 6 + 8);
  });

  it("groups what residents did not get by similar wording, most frequent first", async () => {
    const groups = await unansweredReport(db.pool, NOVEMBER);
    // "kā pieteikt suni" ×2 and "ka pieteikt suni?" have the same stems {pieteik, sun};
    // "kā pieteikt savu suni" {pieteik, sav, sun} has Jaccard 2/3; "kā reģistrēt suni"
    // {registre, sun} has 1/3 and stays apart. The December question is outside the period.
    expect(groups[0]).toEqual({
      representative: "kā pieteikt suni",
      count: 4,
      languages: { lv: 4 },
      reasons: { fallback: 4, lowConfidence: 0, feedbackDown: 0, escalation: 1 },
      closestGuide: "kindergarten-queue",
      examples: ["kā pieteikt suni", "ka pieteikt suni?", "kā pieteikt savu suni"],
    });
    const rest = new Map(groups.slice(1).map((g) => [g.representative, g]));
    const one = (representative: string, lang: string, reasons: Partial<UnansweredGroup["reasons"]>, closestGuide: string | null): UnansweredGroup => ({
      representative, count: 1, languages: { [lang]: 1 },
      reasons: { fallback: 0, lowConfidence: 0, feedbackDown: 0, escalation: 0, ...reasons }, closestGuide, examples: [representative],
    });
    expect(Object.fromEntries(rest)).toEqual(Object.fromEntries([
      // 👎 on the answer, then a ticket whose lastQuestion is this question: one question, two reasons.
      one("как получить счёт по e-mail", "ru", { feedbackDown: 1, escalation: 1 }, "e-invoices"),
      // Phone number and e-mail address masked.
      one("Where can I park my boat? My number is [tālrunis], e-mail [e-pasts]", "en", { fallback: 1 }, "e-invoices"),
      one("kā reģistrēt suni", "lv", { fallback: 1 }, "e-health"),
      // Answered, but with a score under 40 / a coverage under 0.5.
      one("kā mainīt paroli", "lv", { lowConfidence: 1 }, "kindergarten-queue"),
      one("ko darīt ja bankā nerāda rēķinu", "lv", { lowConfidence: 1 }, "e-invoices"),
      // Tickets without a matching question: their own wording.
      one("Nevaru pievienot pielikumu, mans tālrunis [tālrunis], e-pasts [e-pasts]", "lv", { escalation: 1 }, null),
      one("My bank does not show e-invoices", "en", { escalation: 1 }, "e-invoices"),
    ].map((g) => [g.representative, g])));
    expect(groups).toHaveLength(8);
    // Greetings are not questions, and nothing personal leaks.
    const json = JSON.stringify(groups);
    expect(json).not.toContain("labdien");
    expect(json).not.toMatch(/29123456|26123456|example\.(com|lv)/);

    expect(await unansweredReport(db.pool, { ...NOVEMBER, limit: 2 })).toEqual(groups.slice(0, 2));
  });

  it("writes the unanswered groups as CSV with RFC 4180 quoting", async () => {
    const csv = unansweredToCsv(await unansweredReport(db.pool, NOVEMBER));
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toBe("rank,count,representative,languages,fallback,lowConfidence,feedbackDown,escalation,closestGuide,examples,inFlows,handled,handledGuide,handledBy,handledAt");
    expect(lines[1]).toBe("1,4,kā pieteikt suni,lv 4,4,0,0,1,kindergarten-queue,kā pieteikt suni | ka pieteikt suni? | kā pieteikt savu suni,,,,,");
    const masked = '"Nevaru pievienot pielikumu, mans tālrunis [tālrunis], e-pasts [e-pasts]"';
    expect(lines.find((l) => l.includes("Nevaru"))).toBe(`${lines.findIndex((l) => l.includes("Nevaru"))},1,${masked},lv 1,0,0,0,1,,${masked},,,,,`);
    expect(lines).toHaveLength(9);
    // Quotes are doubled and formulas are defused.
    const tricky = unansweredToCsv([{ representative: '=HYPERLINK("x")', count: 1, languages: { lv: 1 }, reasons: { fallback: 1, lowConfidence: 0, feedbackDown: 0, escalation: 0 }, closestGuide: null, examples: ['say "hi"\nthere'] }]);
    expect(tricky).toContain(`1,1,"'=HYPERLINK(""x"")",lv 1,1,0,0,0,,"say ""hi""\nthere",,,,,\r\n`);
  });
});

describe.each(targets)("what counts as resolved by the bot and as guided to an e-service, on $name", (target) => {
  let db: Database;
  let app: App;
  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    const s = new Seeder(db.pool, app.store);
    const clarify = (guide: string): Answer => ({ intent: "clarify", best: [guide, 61.5, 0.5] });
    // c1: "Vai Jūs jautājat par …?" and nothing chosen: not resolved.
    await s.ask("c1", "2026-11-02 10:00", "lv", "kā nomainīt e-pastu", clarify("e-address"));
    // c2: a clarification, then the guide chosen from it: resolved.
    await s.ask("c2", "2026-11-02 11:00", "lv", "kā pieteikt rēķinu", clarify("e-invoices"));
    await s.press("c2", "2026-11-02 11:01", "lv", "E-rēķini", { intent: "guide", guideId: "e-invoices" });
    // c3: a guide answer, then "I don't know" to another question: not resolved.
    await s.ask("c3", "2026-11-02 12:00", "lv", "kā iesniegt iesniegumu", GUIDE("municipal-application", 140.759));
    await s.ask("c3", "2026-11-02 12:02", "lv", "kur novietot laivu", FALLBACK(["e-invoices", 12.5, 0.2]));
    await s.ask("c3", "2026-11-02 12:03", "lv", "kur novietot laivu pie upes", FALLBACK(["e-invoices", 12.5, 0.2]));
    // c4: a guide answer only: resolved.
    await s.ask("c4", "2026-11-02 13:00", "lv", "Kā saņemt e-rēķinu?", GUIDE("e-invoices", 327.079));
    // c5: a greeting (small talk, not a question) and a guide answer: resolved.
    await s.ask("c5", "2026-11-02 14:00", "lv", "labdien", FALLBACK());
    await s.ask("c5", "2026-11-02 14:01", "lv", "kā deklarēt dzīvesvietu", GUIDE("residence-declaration", 119.948));
    // c6: a guide answer, then a clarification left open: not resolved.
    await s.ask("c6", "2026-11-02 15:00", "lv", "kā deklarēt dzīvesvietu", GUIDE("residence-declaration", 119.948));
    await s.ask("c6", "2026-11-02 15:02", "lv", "kā nomainīt paroli", clarify("e-identity"));
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("counts a conversation with an unanswered question or an open clarification as not resolved", async () => {
    const ind = await computeIndicators(db.pool, NOVEMBER);
    // Questions (a clarified one too): c1 1, c2 1 (the press is not one), c3 3, c4 1, c5 1, c6 2 = 9.
    expect(ind.totals).toEqual({ conversations: 6, residents: 6, inboundMessages: 11, questions: 9 });
    // A guide answer in c2–c6; c3 had "I don't know", c6 ended on a clarification:
    // c2, c4 and c5 are resolved, 3 of 6.
    expect(ind.resolvedByBot).toEqual({ conversationsWithQuestions: 6, conversationsWithGuideAnswer: 5, conversationsResolved: 3, share: 0.5 });
  });

  it("counts residents answered from an e-service's guide as guided there, without a flow", async () => {
    const ind = await computeIndicators(db.pool, NOVEMBER);
    // e-invoices: c2 (chosen after the clarification) and c4; municipal-application: c3.
    expect(ind.outcomes).toEqual({
      eInvoices: { residentsGuided: 2, residentsAnswered: 2, residentsStartedSetup: 0, residentsCompleted: 0 },
      onlineApplications: { residentsGuided: 1, residentsAnswered: 1, residentsStartedFlow: 0, residentsCompleted: 0 },
    });
  });
});

describe("maskContacts", () => {
  it("masks Latvian phone numbers and e-mail addresses, and leaves other numbers", () => {
    expect(maskContacts("zvaniet +371 29 123 456 vai 26123456, raksti a.b@c.lv")).toBe("zvaniet [tālrunis] vai [tālrunis], raksti [e-pasts]");
    expect(maskContacts("tālr. 00371 63022238; 8000-1234")).toBe("tālr. [tālrunis]; [tālrunis]");
    expect(maskContacts("rēķins Nr. 12345678, summa 20.50, 2026. gads, kods 123456789")).toBe("rēķins Nr. 12345678, summa 20.50, 2026. gads, kods 123456789");
  });
});

describe("reports on a real conversation through the service", () => {
  let db: Database;
  let app: App;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite" });
    app = await startTestApp({ database: db });
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    await ifAssigned(db)?.close();
  });

  it("sees a 👎, a fallback and the ticket it led to", async () => {
    const from = new Date(Date.now() - 1000);
    const say = (text: string) => app.service.handle("web", "live", { kind: "text", text });
    const press = (id: string) => app.service.handle("web", "live", { kind: "button", id });
    expect((await say("Kā saņemt e-rēķinu?")).replies[0]?.text).toMatch(/📘/);
    expect((await press("f:feedback:did-it-help:1")).replies[0]?.text).toMatch(/nepalīdzēja/);
    expect((await say("Kur var novietot laivu?")).result?.intent).toBe("fallback");
    for (const id of ["person", "intake:yes", "parish:ozolnieku", "contact:chat", "consent:yes"]) await press(id);
    expect((await press("question:keep")).replies.at(-1)?.text).toMatch(/JN-\d{6}/);
    const period = { from, to: new Date(Date.now() + 60_000) };

    const ind = await computeIndicators(db.pool, period);
    expect(ind.totals).toMatchObject({ conversations: 1, residents: 1, questions: 2 });
    expect(ind.resolvedByBot).toEqual({ conversationsWithQuestions: 1, conversationsWithGuideAnswer: 1, conversationsResolved: 0, share: 0 });
    expect(ind.escalations).toMatchObject({ tickets: 1, byTopic: [{ key: "e-invoices", count: 1 }], byParish: [{ key: "ozolnieku", count: 1 }], byCentre: [{ key: "cenu-ozolnieku", count: 1 }] });
    expect(ind.guides).toEqual([{ id: "e-invoices", answers: 1, residents: 1 }]);

    const groups = await unansweredReport(db.pool, period);
    expect(groups).toHaveLength(2);
    expect(groups).toEqual(expect.arrayContaining([
      expect.objectContaining({ representative: "Kur var novietot laivu?", reasons: { fallback: 1, lowConfidence: 0, feedbackDown: 0, escalation: 1 } }),
      expect.objectContaining({ representative: "Kā saņemt e-rēķinu?", reasons: { fallback: 0, lowConfidence: 0, feedbackDown: 1, escalation: 0 }, closestGuide: "e-invoices" }),
    ]));
  });

  it("lists what a flow could not understand, with the flow and the step", async () => {
    const from = new Date(Date.now() - 1000);
    const say = (text: string) => app.service.handle("web", "in-flow", { kind: "text", text });
    await app.service.handle("web", "in-flow", { kind: "command", name: "start", arg: "e-invoices" });
    await app.service.handle("web", "in-flow", { kind: "button", id: "f:e-invoice-setup:which-invoice:0" });
    await app.service.handle("web", "in-flow", { kind: "button", id: "f:e-invoice-setup:utility-way:0" });
    expect((await say("zvbq xkcd plmr")).result).toMatchObject({ intent: "fallback", flowId: "e-invoice-setup", stepId: "jnku-mail-prepare" });
    const groups = await unansweredReport(db.pool, { from, to: new Date(Date.now() + 60_000) });
    expect(groups.find((g) => g.representative === "zvbq xkcd plmr")).toMatchObject({ reasons: { fallback: 1 }, inFlows: ["e-invoice-setup › jnku-mail-prepare"] });
    // The CSV says where the resident was too.
    const row = unansweredToCsv(groups).split("\r\n").find((l) => l.includes("zvbq xkcd plmr"));
    expect(row).toMatch(/,e-invoice-setup › jnku-mail-prepare,,,,$/);
  });
});

describe("cli indicators", () => {
  let dir: string;
  /** `npm run cli -- indicators …`, run in this process on the seeded data folder. */
  const indicators = (args: string[]) => cli(["indicators", ...args], { DATA_DIR: dir });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "digipaligs-reports-"));
    const db = await openDatabase({ kind: "pglite", dataDir: dir });
    try {
      await migrate(db.pool);
      const store = new ConversationStore(db.pool);
      const s = new Seeder(db.pool, store);
      // Either side of both ends of November, on a clock in Latvia.
      await s.ask("c1", "2026-10-31 23:30", "lv", "Kā saņemt e-rēķinu?", GUIDE("e-invoices", 327.079));
      await s.ask("c1", "2026-11-01 00:10", "lv", "kā pieteikt suni, zvaniet 26123456", FALLBACK(["kindergarten-queue", 34.227, 0.272]));
      await s.ask("c2", "2026-11-30 23:30", "en", "How do I declare my residence", GUIDE("residence-declaration", 119.948));
      await s.ask("c2", "2026-12-01 00:10", "en", "Where can I park my boat", FALLBACK());
      const resident = await store.resident("web", "c1");
      await db.pool.query(
        `INSERT INTO tickets (resident_id, channel, centre_id, lang, question, context, status, created_at, first_response_at, closed_at, rating)
         VALUES ($1, 'web', 'jelgava', 'lv', $2, $3::jsonb, 'closed', $4, $4::timestamptz + interval '15 minutes', $4::timestamptz + interval '45 minutes', 4)`,
        [resident.id, "kā pieteikt suni, zvaniet [tālrunis]", JSON.stringify({ reason: "askedForPerson", lastQuestion: "kā pieteikt suni, zvaniet 26123456" }), riga("2026-11-01 00:20")]);
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints a readable summary with both days included", async () => {
    const { code, stdout, stderr } = await indicators(["--from", "2026-11-01", "--to", "2026-11-30"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("DigiPalīgs indicators, 2026-11-01 – 2026-11-30 (Europe/Riga)");
    expect(stdout).toContain("Conversations: 2 with 2 residents (2 messages, 2 questions)");
    expect(stdout).toContain("2026-W44 (from 2026-10-26): 1 conversation, 1 resident, 1 question");
    expect(stdout).toContain("2026-W47 (from 2026-11-16): 0 conversations, 0 residents, 0 questions");
    expect(stdout).toContain("2026-W49 (from 2026-11-30): 1 conversation, 1 resident, 1 question");
    expect(stdout).toContain("Resolved by the bot: 1 of 2 conversations with questions (50%)");
    expect(stdout).toContain("Escalations: 1 ticket");
    expect(stdout).toContain("First staff response: median 15 min, 90% within 15 min (1 ticket)");
    expect(stdout).toContain("Resolution: median 45 min, 90% within 45 min (1 ticket)");
    expect(stdout).toContain("Satisfaction: 1 rating, average 4.00 (1★ 0, 2★ 0, 3★ 0, 4★ 1, 5★ 0)");
    expect(stdout).toContain("Languages: residents en 1, lv 1; messages en 1, lv 1");
    expect(stdout).toContain("Guides answered: residence-declaration 1");
    expect(stdout).toContain("Flows started/completed: feedback 1/0");
    expect(stdout).toContain("E-invoices: 0 residents set one up (0 started the set-up), 0 guided there (answered from the guide or started the set-up)");
  }, 60_000);

  it("prints JSON and CSV", async () => {
    const json = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--json"]);
    expect(json.code).toBe(0);
    const ind = JSON.parse(json.stdout) as { period: unknown; totals: unknown };
    expect(ind.period).toMatchObject({ from: "2026-10-31T22:00:00.000Z", to: "2026-11-30T22:00:00.000Z" });
    expect(ind.totals).toEqual({ conversations: 2, residents: 2, inboundMessages: 2, questions: 2 });
    const csv = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--csv"]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith("\uFEFFsection,key,value\r\n")).toBe(true);
    expect(csv.stdout).toContain("\r\ntotals,conversations,2\r\n");
  }, 60_000);

  it("prints the unanswered questions, masked, as text and CSV", async () => {
    const text = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--unanswered"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Unanswered questions, 2026-11-01 – 2026-11-30 (Europe/Riga): 1 group");
    expect(text.stdout).toContain("1. 1× «kā pieteikt suni, zvaniet [tālrunis]» [lv 1] fallback 1, escalation 1; closest guide: kindergarten-queue");
    expect(text.stdout).not.toContain("26123456");
    const csv = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--unanswered", "--csv", "--limit", "5"]);
    expect(csv.stdout.slice(1).split("\r\n")).toEqual([
      "rank,count,representative,languages,fallback,lowConfidence,feedbackDown,escalation,closestGuide,examples,inFlows,handled,handledGuide,handledBy,handledAt",
      '1,1,"kā pieteikt suni, zvaniet [tālrunis]",lv 1,1,0,0,1,kindergarten-queue,"kā pieteikt suni, zvaniet [tālrunis]",,,,,',
      "",
    ]);
  }, 60_000);

  it("explains bad dates and options", async () => {
    const invalid = await indicators(["--from", "2026-11-31", "--to", "2026-12-01"]);
    const reversed = await indicators(["--from", "2026-12-01", "--to", "2026-11-01"]);
    const missing = await indicators(["--from", "2026-11-01"]);
    const both = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--json", "--csv"]);
    const limit = await indicators(["--from", "2026-11-01", "--to", "2026-11-30", "--unanswered", "--limit", "0"]);
    expect(invalid).toMatchObject({ code: 2, stdout: "" });
    expect(invalid.stderr).toContain('--from must be a date written as YYYY-MM-DD (e.g. 2026-11-01); got "2026-11-31"');
    expect(reversed.stderr).toContain("--from 2026-12-01 is after --to 2026-11-01");
    expect(missing.stderr).toContain("--from and --to are required");
    expect(both.stderr).toContain("choose one of --json and --csv");
    expect(limit.stderr).toContain("--limit must be a whole number from 1");
    expect([reversed, missing, both, limit].map((r) => r.code)).toEqual([2, 2, 2, 2]);
  }, 60_000);
});
