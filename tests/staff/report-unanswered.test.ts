/**
 * The unanswered report counted by wording in SQL (unansweredReport) equals the report that reads
 * every question and groups them one by one (unansweredReportFromOccurrences), on random data and
 * random periods: fallbacks in and out of flows, weak guide answers, 👎 with and without a guide,
 * tickets whose last question is a stored turn, small talk or no turn at all, small talk, contacts
 * and spacing that clean to one wording, and questions with several reasons.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unansweredReport, unansweredReportFromOccurrences, type ReportPeriod } from "../../src/staff/reports/index.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { databaseTargets } from "../support/databases.js";
import { random } from "../support/random.js";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const GUIDES = ["e-invoices", "municipal-application", "property-tax", null];
const TEXTS = [
  "kā pieteikt e-rēķinu", "ka pieteikt e-rekinu?", "kā  pieteikt   e-rēķinu ", "pieteikt e-rēķinu par siltumu", "paldies", "labdien", "???",
  "nevaru ielogoties latvija.lv", "zvaniet 26123456", "zvaniet 29999999", "raksti a.b@example.lv", "как подать заявление", "how do I pay the tax",
];
const INTENTS = ["guide", "guide", "clarify", "fallback", "fallback", "escalate", "flow", null] as const;
const KINDS = ["text", "text", "text", "button", "edited"];

/** Seeds `residents` residents with bursts of turns, 👎 and other events, and tickets between `start` and `end`. */
async function seed(db: Database, rnd: () => number, residents: number, start: number, end: number): Promise<void> {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const ids = (await db.pool.query<{ id: string }>(
    "INSERT INTO residents (channel, chat_id, lang) SELECT 'web', 'u-' || i, 'lv' FROM generate_series(1, $1::int) i RETURNING id", [residents])).rows.map((r) => r.id);
  const turns: unknown[][] = Array.from({ length: 12 }, () => []);
  const events: unknown[][] = [[], [], [], []];
  const tickets: unknown[][] = [[], [], [], []];
  for (const id of ids) {
    let at = start + rnd() * (end - start) * 0.2;
    while (at < end) {
      const intent = pick(INTENTS);
      const scored = intent !== null && intent !== "flow" && rnd() < 0.7;
      const text = pick(TEXTS);
      const inFlow = intent === "fallback" && rnd() < 0.3;
      const row = [
        id, rnd() < 0.85 ? "in" : "out", text, intent, intent === "guide" || intent === "clarify" ? pick(GUIDES) : null, pick(["lv", "ru", "en", null]),
        pick(KINDS), scored ? 10 + rnd() * 80 : null, scored ? rnd() : null, new Date(at).toISOString(),
        inFlow ? pick(["e-invoice-setup", ""]) : null, inFlow ? pick(["jnku-form", "start", ""]) : null,
      ];
      turns.forEach((column, c) => column.push(row[c]));
      if (rnd() < 0.15) {
        [rnd() < 0.1 ? null : id, rnd() < 0.8 ? "feedback-down" : "feedback-up", pick(GUIDES), new Date(at + rnd() * 10 * MINUTE).toISOString()].forEach((v, c) => events[c]?.push(v));
      }
      if (rnd() < 0.1) {
        const last = rnd() < 0.6 ? text : rnd() < 0.5 ? pick(TEXTS) : rnd() < 0.5 ? null : "";
        const context = { reason: "askedForPerson", ...(last !== null ? { lastQuestion: last.trim().slice(0, 500) } : {}), ...(rnd() < 0.5 ? { guide: pick(GUIDES) } : {}) };
        [id, pick(["jautājums par nodokli", "paldies", "cits jautājums"]), JSON.stringify(context), new Date(at + rnd() * 20 * MINUTE).toISOString()].forEach((v, c) => tickets[c]?.push(v));
      }
      at += (0.5 + rnd() * 600) * MINUTE;
    }
  }
  await db.pool.query(
    `INSERT INTO turns (resident_id, direction, text, intent, guide_id, lang, kind, score, coverage, created_at, flow_id, step_id)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::real[], $9::real[], $10::timestamptz[], $11::text[], $12::text[])`, turns);
  await db.pool.query("INSERT INTO events (resident_id, kind, guide_id, created_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[])", events);
  await db.pool.query(
    `INSERT INTO tickets (resident_id, channel, centre_id, lang, question, context, created_at)
     SELECT r, 'web', 'jelgava', 'lv', q, c::jsonb, at FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) AS u(r, q, c, at)`, tickets);
}

for (const target of await databaseTargets("report_unanswered")) {
  describe(`the unanswered report counted by wording, on ${target.name}`, () => {
    let db: Database;
    const now = Date.now();
    const start = now - 10 * DAY;
    const instant = fc.integer({ min: start - DAY, max: now + DAY });
    const period = fc.tuple(instant, instant).filter(([a, b]) => a !== b)
      .map(([a, b]): ReportPeriod => ({ from: new Date(Math.min(a, b)), to: new Date(Math.max(a, b)) }));

    beforeAll(async () => {
      db = await target.open();
      await migrate(db.pool);
      await seed(db, random(41), 30, start, now);
    }, 240_000);
    afterAll(async () => {
      await target.drop(db);
    });

    it("equals the report read question by question, for random periods and limits", async () => {
      await fc.assert(fc.asyncProperty(period, fc.constantFrom(3, 50, 1000), async (p, limit) => {
        const counted = await unansweredReport(db.pool, { ...p, limit });
        expect(counted, `${p.from.toISOString()} … ${p.to.toISOString()}, limit ${limit}`).toEqual(await unansweredReportFromOccurrences(db.pool, { ...p, limit }));
      }), { numRuns: 15, seed: 20261202 });
    }, 240_000);

    it("equals it for the whole range, with many groups and every reason", async () => {
      const whole = { from: new Date(start - DAY), to: new Date(now + DAY), limit: 1000 };
      const counted = await unansweredReport(db.pool, whole);
      expect(counted).toEqual(await unansweredReportFromOccurrences(db.pool, whole));
      // The data exercises what it should: several groups, each reason, places in a flow, masked contacts.
      expect(counted.length).toBeGreaterThan(3);
      for (const reason of ["fallback", "lowConfidence", "feedbackDown", "escalation"] as const) expect(counted.some((g) => g.reasons[reason] > 0), reason).toBe(true);
      expect(counted.some((g) => g.inFlows !== undefined)).toBe(true);
      expect(counted.some((g) => g.examples.some((e) => e.includes("[tālrunis]")))).toBe(true);
    }, 240_000);
  });
}
