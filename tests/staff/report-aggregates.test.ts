/**
 * The indicators read from the kept aggregates (computeIndicators) equal the indicators computed
 * from the stored turns alone (computeIndicatorsFromTurns), on random data and random periods —
 * instants anywhere, Riga midnights, periods shorter than a day, conversations across midnight
 * and across the period's edges — and stay equal after /forget, after turns arrive for past days
 * and after the retention job.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeIndicators, computeIndicatorsFromTurns, type ReportPeriod } from "../../src/staff/reports/index.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { purgeOldData } from "../../src/store/retention.js";
import { databaseTargets } from "../support/databases.js";
import { random } from "../support/random.js";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const GUIDES = ["e-invoices", "municipal-application", "property-tax", "e-address"];
const TEXTS = ["kā pieteikt e-rēķinu", "paldies", "labdien", "???", "nevaru ielogoties", "как подать заявление", "ok"];
const INTENTS = ["guide", "guide", "clarify", "fallback", "fallback", "escalate", "flow", null] as const;
const KINDS = ["text", "text", "text", "button", "command", "edited"];
const EVENTS = ["feedback-down", "feedback-up", "flow-started", "flow-completed", "e-invoice-done", "application-done"];
const FLOWS = ["e-invoice-setup", "online-application", "scam-check"];

/**
 * Seeds `residents` residents with bursts of turns (gaps of 1–45 minutes, so conversations split
 * and cross midnight), events and tickets between `start` and `end`.
 */
async function seed(db: Database, rnd: () => number, prefix: string, residents: number, start: number, end: number): Promise<void> {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const ids = (await db.pool.query<{ id: string }>(
    `INSERT INTO residents (channel, chat_id, lang) SELECT 'web', $1 || i, (ARRAY['lv', 'ru', 'en'])[1 + i % 3] FROM generate_series(1, $2::int) i RETURNING id`,
    [prefix, residents])).rows.map((r) => r.id);
  const turns: unknown[][] = [[], [], [], [], [], [], [], [], [], [], []];
  const events: unknown[][] = [[], [], [], []];
  const tickets: unknown[][] = [[], []];
  for (const id of ids) {
    for (let burst = 0; burst < 1 + Math.floor(rnd() * 4); burst++) {
      let at = start + rnd() * (end - start);
      for (let i = 0; i < 1 + Math.floor(rnd() * 5) && at < end; i++) {
        const intent = pick(INTENTS);
        const scored = intent !== null && intent !== "flow" && rnd() < 0.7;
        turns.forEach((column, c) => column.push([
          id, rnd() < 0.85 ? "in" : "out", pick(TEXTS), intent, intent === "guide" || intent === "clarify" ? pick(GUIDES) : null,
          pick(["lv", "ru", "en", null]), pick(KINDS), scored ? 10 + rnd() * 80 : null, scored ? rnd() : null, new Date(at).toISOString(), intent === "flow" ? pick(FLOWS) : null,
        ][c]));
        if (rnd() < 0.3) {
          const kind = pick(EVENTS);
          [rnd() < 0.1 ? null : id, kind, kind.startsWith("flow") ? pick(FLOWS) : null, new Date(at + rnd() * 40 * MINUTE).toISOString()].forEach((v, c) => events[c]?.push(v));
        }
        if (rnd() < 0.08) [id, new Date(at + rnd() * 50 * MINUTE).toISOString()].forEach((v, c) => tickets[c]?.push(v));
        at += (1 + rnd() * 44) * MINUTE;
      }
    }
  }
  await db.pool.query(
    `INSERT INTO turns (resident_id, direction, text, intent, guide_id, lang, kind, score, coverage, created_at, flow_id)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::real[], $9::real[], $10::timestamptz[], $11::text[])`, turns);
  await db.pool.query("INSERT INTO events (resident_id, kind, flow_id, created_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[])", events);
  await db.pool.query(
    `INSERT INTO tickets (resident_id, channel, centre_id, lang, question, created_at, status, closed_at)
     SELECT r, 'web', 'jelgava', 'lv', 'jautājums', at, 'closed', at + interval '1 hour' FROM unnest($1::bigint[], $2::timestamptz[]) AS u(r, at)`, tickets);
}

/** Midnight in Latvia on the day of `at` (winter or summer time). */
function rigaMidnight(at: number): number {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Riga" }).format(new Date(at));
  for (const offset of [2, 3]) {
    const candidate = Date.parse(`${day}T00:00:00+0${offset}:00`);
    if (new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Riga", hour: "2-digit", hourCycle: "h23" }).format(new Date(candidate)) === "00") return candidate;
  }
  throw new Error(`no midnight on ${day}`);
}

async function same(db: Database, period: ReportPeriod): Promise<void> {
  const kept = await computeIndicators(db.pool, period);
  const computed = await computeIndicatorsFromTurns(db.pool, period);
  expect(kept, `${period.from.toISOString()} … ${period.to.toISOString()}`).toEqual(computed);
}

for (const target of await databaseTargets("report_aggregates")) {
  describe(`indicators from the kept aggregates, on ${target.name}`, () => {
    let db: Database;
    const now = Date.now();
    const start = now - 12 * DAY;
    // An instant, or a Riga midnight, between a day before the data and a day after it.
    const instant = fc.oneof(
      fc.integer({ min: start - DAY, max: now + DAY }),
      fc.integer({ min: -1, max: 14 }).map((d) => rigaMidnight(start + d * DAY)),
    );
    const period = fc.tuple(instant, instant).filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ from: new Date(Math.min(a, b)), to: new Date(Math.max(a, b)) }));

    beforeAll(async () => {
      db = await target.open();
      await migrate(db.pool);
      await seed(db, random(14), "a-", 40, start, now);
      // Around the change to winter time (Sunday 25 October 2026, 04:00 → 03:00 in Latvia).
      await seed(db, random(15), "dst-", 10, Date.parse("2026-10-24T18:00:00Z"), Date.parse("2026-10-26T06:00:00Z"));
    }, 240_000);
    afterAll(async () => {
      await target.drop(db);
    });

    it("equal the computation from the turns for random periods", async () => {
      await fc.assert(fc.asyncProperty(period, async (p) => same(db, p)), { numRuns: 12, seed: 20261202 });
    }, 240_000);

    it("equal it for whole days in Latvia, the whole range and across the change to winter time", async () => {
      await same(db, { from: new Date(rigaMidnight(start + 3 * DAY)), to: new Date(rigaMidnight(start + 10 * DAY)) });
      await same(db, { from: new Date(start - DAY), to: new Date(now + DAY) });
      await same(db, { from: new Date("2026-10-24T21:00:00Z"), to: new Date("2026-10-26T22:00:00Z") });
      await same(db, { from: new Date("2026-10-25T00:30:00Z"), to: new Date("2026-10-25T23:30:00Z") });
    }, 240_000);

    it("stay equal after /forget, after turns arrive for past days and after the retention job", async () => {
      const whole = { from: new Date(start - DAY), to: new Date(now + DAY) };
      const before = await computeIndicators(db.pool, whole);
      await db.pool.query("DELETE FROM residents WHERE id IN (SELECT id FROM residents WHERE chat_id LIKE 'a-%' ORDER BY id LIMIT 5)");
      await same(db, whole);
      expect((await computeIndicators(db.pool, whole)).totals.residents).toBe(before.totals.residents - 5);

      // New turns, events and tickets, then moved back in time (as an import would).
      await seed(db, random(16), "late-", 8, now - MINUTE, now);
      for (const table of ["turns", "events", "tickets"]) {
        await db.pool.query(`UPDATE ${table} x SET created_at = x.created_at - interval '6 days' FROM residents r WHERE r.id = x.resident_id AND r.chat_id LIKE 'late-%'`);
      }
      await same(db, whole);
      await same(db, { from: new Date(rigaMidnight(now - 7 * DAY)), to: new Date(rigaMidnight(now - 5 * DAY) + 7 * 3600_000) });

      await purgeOldData(db.pool, 6);
      await fc.assert(fc.asyncProperty(period, async (p) => same(db, p)), { numRuns: 6, seed: 7 });
      await same(db, whole);
    }, 300_000);
  });
}
