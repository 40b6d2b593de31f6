/**
 * The indicators computed from the stored turns, events and tickets of the period alone, without
 * the kept aggregates: the reference that {@link computeIndicators} must equal (a property test
 * compares both), and the way to check a database by hand (`cli indicators --from-turns`).
 * @module
 */
import { TIME_ZONE } from "../../core/hours.js";
import {
  APPLICATION_FLOW, APPLICATION_GUIDE, checkPeriod, CONVERSATION_GAP_MINUTES, E_INVOICE_FLOW, E_INVOICE_GUIDE, isQuestion,
  smallTalkIds, type ReportDb, type ReportPeriod,
} from "./definitions.js";
import { assembleIndicators, type Indicators, type TicketRow, type TimesRow, type WeekCounts } from "./indicators.js";
import { FLOWS_SQL, TICKETS_SQL, TIMES_SQL, WEEKS_SQL } from "./indicators-sql.js";

/**
 * Computes the indicators for `[from, to)` from the stored rows of the period (slow for a year:
 * it reads and groups every inbound turn); the same figures as {@link computeIndicators}.
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function computeIndicatorsFromTurns(db: ReportDb, period: ReportPeriod): Promise<Indicators> {
  checkPeriod(period);
  const excluded = await smallTalkIds(db, period);
  const base = [period.from, period.to, excluded];
  const q = isQuestion("t", "$3");

  const conversationsSql = `
    WITH inbound AS (
      SELECT t.id, t.resident_id, t.created_at, t.intent, ${q} AS is_question,
        CASE WHEN lag(t.created_at) OVER w IS NULL OR t.created_at - lag(t.created_at) OVER w >= make_interval(mins => $4) THEN 1 ELSE 0 END AS starts
      FROM turns t
      WHERE t.direction = 'in' AND t.created_at >= $1 AND t.created_at < $2
      WINDOW w AS (PARTITION BY t.resident_id ORDER BY t.created_at, t.id)
    ), numbered AS (
      SELECT *, sum(starts) OVER (PARTITION BY resident_id ORDER BY created_at, id) AS conversation FROM inbound
    ), conversations AS (
      SELECT resident_id, conversation, min(created_at) AS start_at, max(created_at) AS end_at,
        count(*) FILTER (WHERE is_question) AS questions, bool_or(intent = 'guide') AS guided,
        bool_or(is_question AND intent = 'fallback') AS fell_back,
        COALESCE(max(id) FILTER (WHERE intent = 'clarify') > COALESCE(max(id) FILTER (WHERE intent = 'guide'), 0), false) AS unclarified
      FROM numbered GROUP BY resident_id, conversation
    ), judged AS (
      SELECT c.*,
        EXISTS (SELECT 1 FROM tickets k WHERE k.resident_id = c.resident_id
          AND k.created_at >= c.start_at AND k.created_at < c.end_at + make_interval(mins => $4)) AS escalated,
        EXISTS (SELECT 1 FROM events e WHERE e.resident_id = c.resident_id AND e.kind = 'feedback-down'
          AND e.created_at >= c.start_at AND e.created_at < c.end_at + make_interval(mins => $4)) AS disliked
      FROM conversations c
    )
    SELECT to_char(start_at AT TIME ZONE '${TIME_ZONE}', 'IYYY-"W"IW') AS week,
      count(*)::int AS conversations,
      count(*) FILTER (WHERE questions > 0)::int AS with_questions,
      count(*) FILTER (WHERE questions > 0 AND guided)::int AS with_guide,
      count(*) FILTER (WHERE questions > 0 AND guided AND NOT fell_back AND NOT unclarified AND NOT escalated AND NOT disliked)::int AS resolved
    FROM judged GROUP BY week`;
  const activitySql = `
    SELECT to_char(t.created_at AT TIME ZONE '${TIME_ZONE}', 'IYYY-"W"IW') AS week,
      count(DISTINCT t.resident_id)::int AS residents, count(*) FILTER (WHERE ${q})::int AS questions
    FROM turns t WHERE t.direction = 'in' AND t.created_at >= $1 AND t.created_at < $2 GROUP BY week`;
  const totalsSql = `
    SELECT count(DISTINCT t.resident_id)::int AS residents, count(*)::int AS inbound, count(*) FILTER (WHERE ${q})::int AS questions
    FROM turns t WHERE t.direction = 'in' AND t.created_at >= $1 AND t.created_at < $2`;
  const languagesSql = `
    SELECT COALESCE(t.lang, 'unknown') AS lang, count(DISTINCT t.resident_id)::int AS residents, count(*)::int AS turns
    FROM turns t WHERE t.direction = 'in' AND t.created_at >= $1 AND t.created_at < $2 GROUP BY 1`;
  const guidesSql = `
    SELECT t.guide_id AS id, count(*)::int AS answers, count(DISTINCT t.resident_id)::int AS residents
    FROM turns t WHERE t.direction = 'in' AND t.intent = 'guide' AND t.guide_id IS NOT NULL AND t.created_at >= $1 AND t.created_at < $2
    GROUP BY t.guide_id`;
  // Who was guided to an e-service: answered from its guide, or started its flow.
  const outcomesSql = `
    WITH touched AS (
      SELECT t.resident_id, t.guide_id AS guide, NULL::text AS flow, NULL::text AS kind FROM turns t
      WHERE t.direction = 'in' AND t.intent = 'guide' AND t.guide_id IN ($4, $6) AND t.created_at >= $1 AND t.created_at < $2
      UNION ALL
      SELECT e.resident_id, NULL, e.flow_id, e.kind FROM events e
      WHERE e.kind IN ('flow-started', 'e-invoice-done', 'application-done') AND e.created_at >= $1 AND e.created_at < $2
    )
    SELECT
      count(DISTINCT resident_id) FILTER (WHERE guide = $4 OR (kind = 'flow-started' AND flow = $3))::int AS invoice_guided,
      count(DISTINCT resident_id) FILTER (WHERE guide = $4)::int AS invoice_answered,
      count(DISTINCT resident_id) FILTER (WHERE kind = 'flow-started' AND flow = $3)::int AS invoice_started,
      count(DISTINCT resident_id) FILTER (WHERE kind = 'e-invoice-done')::int AS invoice_done,
      count(DISTINCT resident_id) FILTER (WHERE guide = $6 OR (kind = 'flow-started' AND flow = $5))::int AS application_guided,
      count(DISTINCT resident_id) FILTER (WHERE guide = $6)::int AS application_answered,
      count(DISTINCT resident_id) FILTER (WHERE kind = 'flow-started' AND flow = $5)::int AS application_started,
      count(DISTINCT resident_id) FILTER (WHERE kind = 'application-done')::int AS application_done
    FROM touched WHERE resident_id IS NOT NULL`;

  const range = [period.from, period.to];
  const [weekRows, conversationRows, activityRows, totalRows, ticketRows, timeRows, languageRows, guideRows, flowRows, outcomeRows] = await Promise.all([
    db.query<{ week: string; week_start: string }>(WEEKS_SQL, range),
    db.query<{ week: string; conversations: number; with_questions: number; with_guide: number; resolved: number }>(conversationsSql, [...base, CONVERSATION_GAP_MINUTES]),
    db.query<{ week: string; residents: number; questions: number }>(activitySql, base),
    db.query<{ residents: number; inbound: number; questions: number }>(totalsSql, base),
    db.query<TicketRow>(TICKETS_SQL, range),
    db.query<TimesRow>(TIMES_SQL, range),
    db.query<{ lang: string; residents: number; turns: number }>(languagesSql, range),
    db.query<{ id: string; answers: number; residents: number }>(guidesSql, range),
    db.query<{ id: string; started: number; completed: number }>(FLOWS_SQL, range),
    db.query<{
      invoice_guided: number; invoice_answered: number; invoice_started: number; invoice_done: number;
      application_guided: number; application_answered: number; application_started: number; application_done: number;
    }>(outcomesSql, [...range, E_INVOICE_FLOW, E_INVOICE_GUIDE, APPLICATION_FLOW, APPLICATION_GUIDE]),
  ]);

  const byWeek = new Map<string, WeekCounts>();
  for (const r of conversationRows.rows) byWeek.set(r.week, { conversations: r.conversations, residents: 0, questions: 0 });
  for (const r of activityRows.rows) byWeek.set(r.week, { conversations: byWeek.get(r.week)?.conversations ?? 0, residents: r.residents, questions: r.questions });
  const sum = (key: "conversations" | "with_questions" | "with_guide" | "resolved"): number => conversationRows.rows.reduce((n, r) => n + r[key], 0);
  const totals = totalRows.rows[0];
  const o = outcomeRows.rows[0];
  return assembleIndicators(period, {
    weeks: weekRows.rows,
    byWeek,
    conversations: { conversations: sum("conversations"), withQuestions: sum("with_questions"), withGuide: sum("with_guide"), resolved: sum("resolved") },
    residents: totals?.residents ?? 0,
    inbound: totals?.inbound ?? 0,
    questions: totals?.questions ?? 0,
    tickets: ticketRows.rows,
    times: timeRows.rows[0],
    languages: languageRows.rows,
    guides: guideRows.rows,
    flows: flowRows.rows,
    outcomes: {
      eInvoices: {
        residentsGuided: o?.invoice_guided ?? 0, residentsAnswered: o?.invoice_answered ?? 0,
        residentsStartedSetup: o?.invoice_started ?? 0, residentsCompleted: o?.invoice_done ?? 0,
      },
      onlineApplications: {
        residentsGuided: o?.application_guided ?? 0, residentsAnswered: o?.application_answered ?? 0,
        residentsStartedFlow: o?.application_started ?? 0, residentsCompleted: o?.application_done ?? 0,
      },
    },
  });
}
