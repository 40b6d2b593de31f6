/**
 * Reports for the municipality and the content editors, computed from the stored turns, events
 * and tickets:
 *
 * - {@link computeIndicators}: what the assistant achieved in a period, as aggregates only (no
 *   text, no resident or ticket ids) for the digital-inclusion action plan;
 * - {@link unansweredReport}: what residents asked and did not get, grouped by similar wording,
 *   so that editors know which guides to write or improve.
 *
 * Both take a half-open period `[from, to)` of instants; weeks and days are read on a clock in
 * Latvia ({@link TIME_ZONE}). The CSV forms ({@link indicatorsToCsv}, {@link unansweredToCsv}) are
 * RFC 4180 with CRLF line ends and a UTF-8 byte order mark, so that Excel opens them correctly.
 *
 * Definitions shared by both reports:
 *
 * - **Question**: an inbound turn with intent `guide`, `clarify`, `fallback` or `escalate` for which the
 *   retrieval ran (a closest guide and its score were stored), or an inbound free-text turn with
 *   intent `fallback` (the retrieval found no guide at all). Free text is a line of kind `text` or
 *   `edited` (not a command, a button press, a phone number or media).
 *   Greetings and thanks alone ("labdien", "paldies") and messages without letters or digits are
 *   not questions. Text typed inside a step-by-step flow that the bot could not match keeps the
 *   intent `flow` and is counted as a flow step, not as a question.
 * - **Conversation**: a resident's inbound turns in the period, where a gap of
 *   {@link CONVERSATION_GAP_MINUTES} minutes or more starts a new conversation. A conversation
 *   that began before the period is counted from its first turn inside the period.
 * @module
 */
import type pg from "pg";
import { TIME_ZONE } from "../core/hours.js";
import { isLang } from "../core/types.js";
import { smallTalk } from "../nlp/intents.js";
import { fold } from "../nlp/normalize.js";
import { analyze } from "../nlp/stem.js";

/** The clock weeks and days are read on: Europe/Riga (re-exported from core/hours). */
export { TIME_ZONE };

/** Anything that runs queries: a pool or a client. */
export type ReportDb = Pick<pg.Pool, "query">;

/** A half-open period of instants: `from` inclusive, `to` exclusive. */
export interface ReportPeriod {
  readonly from: Date;
  readonly to: Date;
}

/** A gap between two inbound turns of a resident this long or longer starts a new conversation. */
export const CONVERSATION_GAP_MINUTES = 30;

/**
 * A guide answer counts as low-confidence when its coverage (the share of the question's
 * informative words the guide matched) is below `coverage`, or its retrieval score is below
 * `score`. The assistant answers from a score of 20 with coverage 0.5, or from a score of 80 with
 * coverage 0.3 (see `DEFAULT_THRESHOLDS` in core/assistant.ts): these limits select the answers
 * that passed only through the weaker paths or barely above the minimum score.
 */
export const LOW_CONFIDENCE = { coverage: 0.5, score: 40 } as const;

/** Questions whose stem sets have at least this Jaccard similarity fall into one group. */
export const SIMILARITY = 0.6;

/** The flow that walks residents through setting up e-invoices. */
export const E_INVOICE_FLOW = "e-invoice-setup";
/** The guide on e-invoices (the set-up flow walks through it). */
export const E_INVOICE_GUIDE = "e-invoices";
/** The flow that walks residents through an online application to the municipality. */
export const APPLICATION_FLOW = "online-application";
/** The guide on applications to the municipality online (the application flow walks through it). */
export const APPLICATION_GUIDE = "municipal-application";

// ---- indicators ------------------------------------------------------------------------------

/** A label with how many times it occurred. */
export interface KeyCount {
  readonly key: string;
  readonly count: number;
}

/** Activity in one ISO week (Monday to Sunday, Europe/Riga) overlapping the period. */
export interface WeekFigures {
  /** ISO week, e.g. `2026-W45`. */
  readonly week: string;
  /** The Monday the week starts on (YYYY-MM-DD). */
  readonly weekStart: string;
  /** Conversations whose first inbound turn (in the period) falls in this week. */
  readonly conversations: number;
  /** Distinct residents with at least one inbound turn in this week (within the period). */
  readonly residents: number;
  /** Questions asked in this week (see the module's definition). */
  readonly questions: number;
}

/** Minutes between two moments of a ticket: how many tickets had both, median and 90th percentile. */
export interface Durations {
  readonly tickets: number;
  /** `percentile_cont(0.5)`, rounded to 0.1 minute; null when no ticket had both moments. */
  readonly median: number | null;
  /** `percentile_cont(0.9)`, rounded to 0.1 minute; null when no ticket had both moments. */
  readonly p90: number | null;
}

/** Use of one guide. */
export interface GuideUse {
  readonly id: string;
  /** Inbound turns answered from this guide (intent `guide`: a typed question or a guide opened by a button). */
  readonly answers: number;
  /** Distinct residents among them. */
  readonly residents: number;
}

/** Use of one flow. */
export interface FlowUse {
  readonly id: string;
  /** `flow-started` events (including the built-in feedback, menu and language flows). */
  readonly started: number;
  /** `flow-completed` events. */
  readonly completed: number;
}

/** What the assistant achieved in a period: aggregates only, no personal data. */
export interface Indicators {
  readonly period: {
    /** Inclusive start (ISO instant). */
    readonly from: string;
    /** Exclusive end (ISO instant). */
    readonly to: string;
    readonly timeZone: string;
    readonly conversationGapMinutes: number;
  };
  readonly totals: {
    /** Conversations (see the module's definition). */
    readonly conversations: number;
    /** Distinct residents with at least one inbound turn. */
    readonly residents: number;
    /** Inbound turns: everything residents typed or pressed. */
    readonly inboundMessages: number;
    /** Questions (see the module's definition). */
    readonly questions: number;
  };
  /** Every ISO week that overlaps the period, oldest first (weeks without activity show zeros). */
  readonly weeks: readonly WeekFigures[];
  /**
   * Conversations resolved by the bot. A conversation with at least one question counts as
   * resolved when (1) at least one of its inbound turns was answered from a guide (intent
   * `guide`, typed or pressed), (2) none of its questions got "I don't know" (intent `fallback`),
   * (3) every "Vai Jūs jautājat par …?" (intent `clarify`) was followed by a guide answer later
   * in the conversation, (4) the resident opened no ticket and (5) pressed no 👎
   * (`feedback-down`) between the conversation's first inbound turn and
   * {@link CONVERSATION_GAP_MINUTES} minutes after its last one.
   */
  readonly resolvedByBot: {
    readonly conversationsWithQuestions: number;
    readonly conversationsWithGuideAnswer: number;
    readonly conversationsResolved: number;
    /** conversationsResolved / conversationsWithQuestions, rounded to 0.001; null when there were none. */
    readonly share: number | null;
  };
  /** Tickets created in the period. */
  readonly escalations: {
    readonly tickets: number;
    /** By the guide the resident last saw (`context.guide`), else the flow (`context.flow`), else `unknown`. */
    readonly byTopic: readonly KeyCount[];
    /** By the parish the resident chose (`unknown` when not chosen). */
    readonly byParish: readonly KeyCount[];
    /** By the centre the ticket belongs to now. */
    readonly byCentre: readonly KeyCount[];
  };
  /** Staff times for tickets created in the period, in minutes. */
  readonly staffTimes: {
    /** first_response_at − created_at: until the first staff reply, for tickets that got one. */
    readonly firstResponseMinutes: Durations;
    /** closed_at − created_at: until closed (by staff or by the resident), for closed tickets. */
    readonly resolutionMinutes: Durations;
  };
  /** 1–5 ratings of tickets created in the period. */
  readonly satisfaction: {
    readonly ratings: number;
    /** Rounded to 0.01; null without ratings. */
    readonly average: number | null;
    readonly distribution: Readonly<Record<"1" | "2" | "3" | "4" | "5", number>>;
  };
  readonly languages: {
    /** Distinct residents by the language of their inbound turns (a resident who used two languages counts in both). */
    readonly residents: readonly KeyCount[];
    /** Inbound turns by language. */
    readonly inboundMessages: readonly KeyCount[];
  };
  /** Guides by inbound turns answered from them, most used first. */
  readonly guides: readonly GuideUse[];
  /** Flows by `flow-started` events, most started first. */
  readonly flows: readonly FlowUse[];
  /**
   * Residents guided to an e-service and those who used it themselves (distinct residents;
   * forgotten residents are not counted). **Guided** counts a resident answered from the
   * service's guide (typed or pressed) as well as one who started its step-by-step flow;
   * **completed** counts those who reached the flow's "done" step.
   */
  readonly outcomes: {
    readonly eInvoices: {
      /** Residents answered from the `e-invoices` guide or who started the set-up flow. */
      readonly residentsGuided: number;
      /** Residents answered from the `e-invoices` guide. */
      readonly residentsAnswered: number;
      /** Residents who started the e-invoice set-up flow. */
      readonly residentsStartedSetup: number;
      /** Residents who reached an `e-invoice-done` step (they set up an e-invoice). */
      readonly residentsCompleted: number;
    };
    readonly onlineApplications: {
      /** Residents answered from the `municipal-application` guide or who started the application flow. */
      readonly residentsGuided: number;
      /** Residents answered from the `municipal-application` guide. */
      readonly residentsAnswered: number;
      /** Residents who started the online application flow. */
      readonly residentsStartedFlow: number;
      /** Residents who reached an `application-done` step (they submitted an application online). */
      readonly residentsCompleted: number;
    };
  };
}

const FREE_TEXT = (t: string): string => `(${t}.kind IN ('text', 'edited'))`;

/** SQL: the turn aliased `t` is a question; `excluded` names the bigint[] parameter of small talk. */
const isQuestion = (t: string, excluded: string): string =>
  `(${t}.direction = 'in' AND ${t}.intent IN ('guide', 'clarify', 'fallback', 'escalate')
    AND (${t}.score IS NOT NULL OR (${t}.intent = 'fallback' AND ${FREE_TEXT(t)}))
    AND NOT (${t}.id = ANY(${excluded}::bigint[])))`;

/** True for text that is not a question: only a greeting or thanks, or nothing to read. */
function notAQuestion(text: string): boolean {
  const clean = text.trim();
  return !/[\p{L}\p{N}]/u.test(clean) || smallTalk(clean) !== undefined;
}

function checkPeriod(period: ReportPeriod): void {
  if (!(period.from instanceof Date) || !(period.to instanceof Date) || Number.isNaN(period.from.getTime()) || Number.isNaN(period.to.getTime())) {
    throw new RangeError("the period needs valid from and to dates");
  }
  if (period.to.getTime() <= period.from.getTime()) throw new RangeError("the period must end after it starts");
}

/** Ids of free-text fallback turns in the period that are small talk or empty (not questions). */
async function smallTalkIds(db: ReportDb, period: ReportPeriod): Promise<string[]> {
  const { rows } = await db.query<{ id: string; text: string }>(
    `SELECT t.id, t.text FROM turns t
     WHERE t.direction = 'in' AND t.intent = 'fallback' AND t.score IS NULL AND ${FREE_TEXT("t")}
       AND t.created_at >= $1 AND t.created_at < $2`,
    [period.from, period.to]);
  return rows.filter((r) => notAQuestion(r.text)).map((r) => r.id);
}

const round = (value: number | string | null, digits: number): number | null => {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(Number(value) * f) / f;
};

const byCount = (a: KeyCount, b: KeyCount): number => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Computes the indicators for `[from, to)`; every definition is documented on {@link Indicators}
 * and in the module comment.
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function computeIndicators(db: ReportDb, period: ReportPeriod): Promise<Indicators> {
  checkPeriod(period);
  const excluded = await smallTalkIds(db, period);
  const base = [period.from, period.to, excluded];
  const q = isQuestion("t", "$3");

  const weeksSql = `
    SELECT DISTINCT to_char(d, 'IYYY-"W"IW') AS week, to_char(date_trunc('week', d), 'YYYY-MM-DD') AS week_start
    FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE '${TIME_ZONE}'),
                         ($2::timestamptz AT TIME ZONE '${TIME_ZONE}') - interval '1 microsecond', interval '1 day') AS d
    ORDER BY week`;
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
  const ticketsSql = `
    SELECT COALESCE(context->>'guide', context->>'flow', 'unknown') AS topic, COALESCE(parish, 'unknown') AS parish, centre_id AS centre,
      EXTRACT(EPOCH FROM first_response_at - created_at) / 60 AS first_response, EXTRACT(EPOCH FROM closed_at - created_at) / 60 AS resolution, rating
    FROM tickets WHERE created_at >= $1 AND created_at < $2`;
  const timesSql = `
    SELECT count(first_response_at)::int AS responded,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_response_at - created_at) / 60) AS response_median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_response_at - created_at) / 60) AS response_p90,
      count(closed_at)::int AS closed,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - created_at) / 60) AS resolution_median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - created_at) / 60) AS resolution_p90,
      count(rating)::int AS ratings, avg(rating)::float8 AS average
    FROM tickets WHERE created_at >= $1 AND created_at < $2`;
  const languagesSql = `
    SELECT COALESCE(t.lang, 'unknown') AS lang, count(DISTINCT t.resident_id)::int AS residents, count(*)::int AS turns
    FROM turns t WHERE t.direction = 'in' AND t.created_at >= $1 AND t.created_at < $2 GROUP BY 1`;
  const guidesSql = `
    SELECT t.guide_id AS id, count(*)::int AS answers, count(DISTINCT t.resident_id)::int AS residents
    FROM turns t WHERE t.direction = 'in' AND t.intent = 'guide' AND t.guide_id IS NOT NULL AND t.created_at >= $1 AND t.created_at < $2
    GROUP BY t.guide_id ORDER BY answers DESC, id`;
  const flowsSql = `
    SELECT flow_id AS id, count(*) FILTER (WHERE kind = 'flow-started')::int AS started, count(*) FILTER (WHERE kind = 'flow-completed')::int AS completed
    FROM events WHERE kind IN ('flow-started', 'flow-completed') AND flow_id IS NOT NULL AND created_at >= $1 AND created_at < $2
    GROUP BY flow_id ORDER BY started DESC, completed DESC, id`;
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
    db.query<{ week: string; week_start: string }>(weeksSql, range),
    db.query<{ week: string; conversations: number; with_questions: number; with_guide: number; resolved: number }>(conversationsSql, [...base, CONVERSATION_GAP_MINUTES]),
    db.query<{ week: string; residents: number; questions: number }>(activitySql, base),
    db.query<{ residents: number; inbound: number; questions: number }>(totalsSql, base),
    db.query<{ topic: string; parish: string; centre: string; rating: number | null }>(ticketsSql, range),
    db.query<{ responded: number; response_median: number | null; response_p90: number | null; closed: number; resolution_median: number | null; resolution_p90: number | null; ratings: number; average: number | null }>(timesSql, range),
    db.query<{ lang: string; residents: number; turns: number }>(languagesSql, range),
    db.query<{ id: string; answers: number; residents: number }>(guidesSql, range),
    db.query<{ id: string; started: number; completed: number }>(flowsSql, range),
    db.query<{
      invoice_guided: number; invoice_answered: number; invoice_started: number; invoice_done: number;
      application_guided: number; application_answered: number; application_started: number; application_done: number;
    }>(outcomesSql, [...range, E_INVOICE_FLOW, E_INVOICE_GUIDE, APPLICATION_FLOW, APPLICATION_GUIDE]),
  ]);

  const conversationsByWeek = new Map(conversationRows.rows.map((r) => [r.week, r]));
  const activityByWeek = new Map(activityRows.rows.map((r) => [r.week, r]));
  const weeks: WeekFigures[] = weekRows.rows.map((w) => ({
    week: w.week,
    weekStart: w.week_start,
    conversations: conversationsByWeek.get(w.week)?.conversations ?? 0,
    residents: activityByWeek.get(w.week)?.residents ?? 0,
    questions: activityByWeek.get(w.week)?.questions ?? 0,
  }));
  const sum = (key: "conversations" | "with_questions" | "with_guide" | "resolved"): number => conversationRows.rows.reduce((n, r) => n + r[key], 0);
  const withQuestions = sum("with_questions");
  const resolved = sum("resolved");

  const tally = (values: readonly string[]): KeyCount[] => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([key, count]) => ({ key, count })).sort(byCount);
  };
  const tickets = ticketRows.rows;
  const distribution = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
  for (const t of tickets) if (t.rating !== null) distribution[String(t.rating) as keyof typeof distribution]++;
  const times = timeRows.rows[0];
  const totals = totalRows.rows[0];
  const outcomes = outcomeRows.rows[0];

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: TIME_ZONE, conversationGapMinutes: CONVERSATION_GAP_MINUTES },
    totals: {
      conversations: sum("conversations"),
      residents: totals?.residents ?? 0,
      inboundMessages: totals?.inbound ?? 0,
      questions: totals?.questions ?? 0,
    },
    weeks,
    resolvedByBot: {
      conversationsWithQuestions: withQuestions,
      conversationsWithGuideAnswer: sum("with_guide"),
      conversationsResolved: resolved,
      share: withQuestions > 0 ? round(resolved / withQuestions, 3) : null,
    },
    escalations: {
      tickets: tickets.length,
      byTopic: tally(tickets.map((t) => t.topic)),
      byParish: tally(tickets.map((t) => t.parish)),
      byCentre: tally(tickets.map((t) => t.centre)),
    },
    staffTimes: {
      firstResponseMinutes: { tickets: times?.responded ?? 0, median: round(times?.response_median ?? null, 1), p90: round(times?.response_p90 ?? null, 1) },
      resolutionMinutes: { tickets: times?.closed ?? 0, median: round(times?.resolution_median ?? null, 1), p90: round(times?.resolution_p90 ?? null, 1) },
    },
    satisfaction: { ratings: times?.ratings ?? 0, average: round(times?.average ?? null, 2), distribution },
    languages: {
      residents: languageRows.rows.map((r) => ({ key: r.lang, count: r.residents })).sort(byCount),
      inboundMessages: languageRows.rows.map((r) => ({ key: r.lang, count: r.turns })).sort(byCount),
    },
    guides: guideRows.rows.map((r) => ({ id: r.id, answers: r.answers, residents: r.residents })),
    flows: flowRows.rows.map((r) => ({ id: r.id, started: r.started, completed: r.completed })),
    outcomes: {
      eInvoices: {
        residentsGuided: outcomes?.invoice_guided ?? 0, residentsAnswered: outcomes?.invoice_answered ?? 0,
        residentsStartedSetup: outcomes?.invoice_started ?? 0, residentsCompleted: outcomes?.invoice_done ?? 0,
      },
      onlineApplications: {
        residentsGuided: outcomes?.application_guided ?? 0, residentsAnswered: outcomes?.application_answered ?? 0,
        residentsStartedFlow: outcomes?.application_started ?? 0, residentsCompleted: outcomes?.application_done ?? 0,
      },
    },
  };
}

// ---- CSV -------------------------------------------------------------------------------------

type Cell = string | number | null;

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return) gets a leading apostrophe.
 */
function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV: UTF-8 byte order mark, CRLF line ends. */
function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/**
 * The indicators as a flat CSV with the columns `section,key,value`, e.g.
 * `totals,conversations,12`, `weeks.conversations,2026-W45,4`, `escalations.byTopic,e-invoices,2`,
 * `staffTimes.firstResponseMinutes,median,25`. Empty values are nulls (nothing to measure).
 */
export function indicatorsToCsv(ind: Indicators): string {
  const rows: Cell[][] = [["section", "key", "value"]];
  const add = (section: string, key: string, value: Cell): void => {
    rows.push([section, key, value]);
  };
  const counts = (section: string, list: readonly KeyCount[]): void => list.forEach((c) => add(section, c.key, c.count));
  add("period", "from", ind.period.from);
  add("period", "to", ind.period.to);
  add("period", "timeZone", ind.period.timeZone);
  add("period", "conversationGapMinutes", ind.period.conversationGapMinutes);
  for (const [key, value] of Object.entries(ind.totals)) add("totals", key, value);
  for (const w of ind.weeks) add("weeks.weekStart", w.week, w.weekStart);
  for (const w of ind.weeks) add("weeks.conversations", w.week, w.conversations);
  for (const w of ind.weeks) add("weeks.residents", w.week, w.residents);
  for (const w of ind.weeks) add("weeks.questions", w.week, w.questions);
  for (const [key, value] of Object.entries(ind.resolvedByBot)) add("resolvedByBot", key, value);
  add("escalations", "tickets", ind.escalations.tickets);
  counts("escalations.byTopic", ind.escalations.byTopic);
  counts("escalations.byParish", ind.escalations.byParish);
  counts("escalations.byCentre", ind.escalations.byCentre);
  for (const [name, d] of Object.entries(ind.staffTimes)) {
    add(`staffTimes.${name}`, "tickets", d.tickets);
    add(`staffTimes.${name}`, "median", d.median);
    add(`staffTimes.${name}`, "p90", d.p90);
  }
  add("satisfaction", "ratings", ind.satisfaction.ratings);
  add("satisfaction", "average", ind.satisfaction.average);
  for (const [key, value] of Object.entries(ind.satisfaction.distribution)) add("satisfaction.distribution", key, value);
  counts("languages.residents", ind.languages.residents);
  counts("languages.inboundMessages", ind.languages.inboundMessages);
  for (const g of ind.guides) add("guides.answers", g.id, g.answers);
  for (const g of ind.guides) add("guides.residents", g.id, g.residents);
  for (const f of ind.flows) add("flows.started", f.id, f.started);
  for (const f of ind.flows) add("flows.completed", f.id, f.completed);
  for (const [key, value] of Object.entries(ind.outcomes.eInvoices)) add("outcomes.eInvoices", key, value);
  for (const [key, value] of Object.entries(ind.outcomes.onlineApplications)) add("outcomes.onlineApplications", key, value);
  return toCsv(rows);
}

// ---- unanswered questions ----------------------------------------------------------------------

/** Why a question counts as unanswered. */
export type UnansweredReason = "fallback" | "lowConfidence" | "feedbackDown" | "escalation";

/** Similar questions residents did not get a good answer to. */
export interface UnansweredGroup {
  /** The most frequent wording in the group (ties: the earliest), with contacts masked. */
  readonly representative: string;
  /** How many questions (occurrences) the group holds. */
  readonly count: number;
  /** Questions per language (`unknown` when not recorded). */
  readonly languages: Readonly<Record<string, number>>;
  /**
   * How many of the group's questions had each reason; one question may have several, so these
   * may add up to more than `count`.
   */
  readonly reasons: Readonly<Record<UnansweredReason, number>>;
  /** The guide that matched the group's questions best most often (ties: alphabetical), if any. */
  readonly closestGuide: string | null;
  /** Up to 3 distinct wordings, most frequent first, the representative first. */
  readonly examples: readonly string[];
  /** Where in a flow the questions were asked ("e-invoice-setup › jnku-mail-client"), most frequent first; absent when nowhere. */
  readonly inFlows?: readonly string[];
}

/** Options for {@link unansweredReport}. */
export interface UnansweredOptions extends ReportPeriod {
  /** At most this many groups, most frequent first (default 50). */
  readonly limit?: number;
}

const PHONE = /(?<![\p{L}\p{N}+])(?:(?:\+|00)\s?371[\s-]?)?[268](?:[\s-]?\d){7}(?![\p{N}])/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Masks what personal-data masking at storage time leaves: e-mail addresses ("[e-pasts]") and
 * Latvian phone numbers ("[tālrunis]": 8 digits starting with 2, 6 or 8, optionally after +371 or
 * 00371, spaces or hyphens allowed between digits).
 * @example maskContacts("zvaniet +371 29 123 456, raksti a@b.lv") // "zvaniet [tālrunis], raksti [e-pasts]"
 */
export function maskContacts(text: string): string {
  return text.replace(EMAIL, "[e-pasts]").replace(PHONE, "[tālrunis]");
}

interface Occurrence {
  readonly text: string;
  readonly lang: string;
  readonly guide: string | null;
  readonly at: number;
  readonly reasons: Set<UnansweredReason>;
  /** "flow › step" when the question was asked inside a flow. */
  readonly inFlow?: string;
}

const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
};

/** Distinct `values`, most frequent first (ties: the first seen). */
function ranked(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Map keeps first-seen order; the sort is stable.
  return [...counts].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

/**
 * What residents asked in `[from, to)` and did not get, grouped by similar wording, most frequent
 * first. A question (see the module's definition) is included when it:
 *
 * - **fallback**: got no answer (intent `fallback`);
 * - **lowConfidence**: was answered from a guide with coverage below {@link LOW_CONFIDENCE}`.coverage`
 *   or a score below {@link LOW_CONFIDENCE}`.score`;
 * - **feedbackDown**: is the resident's last question before a 👎 (`feedback-down` event) in the period;
 * - **escalation**: led to a ticket created in the period — the resident's last question whose
 *   text equals the ticket's `context.lastQuestion`; when there is no such question, the ticket
 *   itself counts, worded as `context.lastQuestion` (unless it is only a greeting or thanks), else
 *   as the ticket's question.
 *
 * Each question counts once, with all its reasons. Grouping: the text is folded, split, stripped of
 * stopwords and stemmed with the project's analysis in the question's language; questions with
 * equal stem sets form one bucket; buckets are then clustered greedily, largest first, each joining
 * the first group whose first bucket's stem set has a Jaccard similarity of at least
 * {@link SIMILARITY}. Questions without informative words group only by their folded text.
 * Personal codes, IBANs and cards were masked when stored; phone numbers and e-mail addresses are
 * masked here ({@link maskContacts}).
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function unansweredReport(db: ReportDb, options: UnansweredOptions): Promise<UnansweredGroup[]> {
  const period = { from: options.from, to: options.to };
  checkPeriod(period);
  const limit = options.limit ?? 50;
  const excluded = await smallTalkIds(db, period);
  const q = isQuestion("t", "$3");
  type TurnRow = { id: string; text: string; lang: string | null; best_guide: string | null; created_at: Date };

  const [weak, disliked, tickets] = await Promise.all([
    db.query<TurnRow & { intent: string; flow_id: string | null; step_id: string | null }>(
      `SELECT t.id, t.text, t.lang, t.best_guide, t.created_at, t.intent, t.flow_id, t.step_id FROM turns t
       WHERE t.created_at >= $1 AND t.created_at < $2 AND ${q}
         AND (t.intent = 'fallback' OR (t.intent = 'guide' AND (t.coverage < $4 OR t.score < $5)))`,
      [period.from, period.to, excluded, LOW_CONFIDENCE.coverage, LOW_CONFIDENCE.score]),
    db.query<TurnRow & { event_guide: string | null }>(
      `SELECT t.id, t.text, t.lang, t.best_guide, t.created_at, e.guide_id AS event_guide FROM events e
       JOIN LATERAL (
         SELECT t.* FROM turns t WHERE t.resident_id = e.resident_id AND t.created_at <= e.created_at AND ${q}
         ORDER BY t.created_at DESC, t.id DESC LIMIT 1
       ) t ON true
       WHERE e.kind = 'feedback-down' AND e.created_at >= $1 AND e.created_at < $2`,
      [period.from, period.to, excluded]),
    db.query<{ ticket_id: string; ticket_lang: string; question: string; context: { guide?: string; lastQuestion?: string }; ticket_at: Date }
      & { [K in keyof TurnRow]: TurnRow[K] | null }>(
      `SELECT k.id AS ticket_id, k.lang AS ticket_lang, k.question, k.context, k.created_at AS ticket_at,
         t.id, t.text, t.lang, t.best_guide, t.created_at
       FROM tickets k
       LEFT JOIN LATERAL (
         SELECT t.* FROM turns t
         WHERE k.context->>'lastQuestion' IS NOT NULL AND t.resident_id = k.resident_id AND t.created_at <= k.created_at AND ${q}
           AND left(btrim(t.text), 500) = k.context->>'lastQuestion'
         ORDER BY t.created_at DESC, t.id DESC LIMIT 1
       ) t ON true
       WHERE k.created_at >= $1 AND k.created_at < $2`,
      [period.from, period.to, excluded]),
  ]);

  const occurrences = new Map<string, Occurrence>();
  const note = (key: string, reason: UnansweredReason, make: () => Omit<Occurrence, "reasons">): void => {
    const found = occurrences.get(key);
    if (found) found.reasons.add(reason);
    else occurrences.set(key, { ...make(), reasons: new Set([reason]) });
  };
  const fromTurn = (r: TurnRow, guide: string | null = null) => (): Omit<Occurrence, "reasons"> => ({
    text: r.text, lang: r.lang ?? "unknown", guide: r.best_guide ?? guide, at: r.created_at.getTime(),
  });
  for (const r of weak.rows) {
    // Not understood inside a flow (the flow runner keeps such a turn at its flow and step).
    const inFlow = r.intent === "fallback" && r.flow_id && r.step_id ? `${r.flow_id} › ${r.step_id}` : undefined;
    note(`turn:${r.id}`, r.intent === "fallback" ? "fallback" : "lowConfidence", () => ({ ...fromTurn(r)(), ...(inFlow ? { inFlow } : {}) }));
  }
  for (const r of disliked.rows) note(`turn:${r.id}`, "feedbackDown", fromTurn(r, r.event_guide));
  for (const r of tickets.rows) {
    if (r.id !== null && r.text !== null && r.created_at !== null) {
      note(`turn:${r.id}`, "escalation", fromTurn({ id: r.id, text: r.text, lang: r.lang, best_guide: r.best_guide, created_at: r.created_at }, r.context.guide ?? null));
      continue;
    }
    const last = r.context.lastQuestion;
    const text = last && !notAQuestion(last) ? last : r.question;
    note(`ticket:${r.ticket_id}`, "escalation", () => ({ text, lang: r.ticket_lang, guide: r.context.guide ?? null, at: r.ticket_at.getTime() }));
  }

  // Clean wordings; drop what has nothing to read.
  const items = [...occurrences.values()]
    .map((o) => ({ ...o, text: maskContacts(o.text.trim()).replace(/\s+/g, " ") }))
    .filter((o) => /[\p{L}\p{N}]/u.test(o.text))
    .sort((a, b) => a.at - b.at);

  // Buckets of equal stem sets.
  const buckets = new Map<string, { stems: Set<string>; items: typeof items }>();
  for (const item of items) {
    const stems = new Set(analyze(item.text, isLang(item.lang) ? item.lang : "lv"));
    const key = stems.size > 0 ? [...stems].sort().join(" ") : `#${fold(item.text).replace(/[^\p{L}\p{N}]+/gu, " ").trim()}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.items.push(item);
    else buckets.set(key, { stems, items: [item] });
  }
  // Greedy clustering, largest bucket first (ties: the earliest question).
  const ordered = [...buckets.values()].sort((a, b) => b.items.length - a.items.length || (a.items[0]?.at ?? 0) - (b.items[0]?.at ?? 0));
  const clusters: { stems: Set<string>; items: typeof items }[] = [];
  for (const bucket of ordered) {
    const home = bucket.stems.size > 0 ? clusters.find((c) => c.stems.size > 0 && jaccard(c.stems, bucket.stems) >= SIMILARITY) : undefined;
    if (home) home.items.push(...bucket.items);
    else clusters.push({ stems: bucket.stems, items: [...bucket.items] });
  }

  const groups: UnansweredGroup[] = clusters.map((c) => {
    const members = [...c.items].sort((a, b) => a.at - b.at);
    const wordings = ranked(members.map((m) => m.text));
    const languages: Record<string, number> = {};
    for (const lang of ranked(members.map((m) => m.lang))) languages[lang] = members.filter((m) => m.lang === lang).length;
    const reasons: Record<UnansweredReason, number> = { fallback: 0, lowConfidence: 0, feedbackDown: 0, escalation: 0 };
    for (const m of members) for (const r of m.reasons) reasons[r]++;
    const guides = members.map((m) => m.guide).filter((g): g is string => g !== null).sort();
    return {
      representative: wordings[0] ?? "",
      count: members.length,
      languages,
      reasons,
      closestGuide: ranked(guides)[0] ?? null,
      examples: wordings.slice(0, 3),
      ...(members.some((m) => m.inFlow) ? { inFlows: ranked(members.flatMap((m) => (m.inFlow ? [m.inFlow] : []))) } : {}),
    };
  });
  groups.sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative, "lv"));
  return groups.slice(0, Math.max(0, limit));
}

/**
 * The unanswered report as CSV, one group a row: `rank,count,representative,languages,fallback,
 * lowConfidence,feedbackDown,escalation,closestGuide,examples` (languages as `lv 3; ru 1`,
 * examples joined with ` | `).
 */
export function unansweredToCsv(groups: readonly UnansweredGroup[]): string {
  const rows: Cell[][] = [["rank", "count", "representative", "languages", "fallback", "lowConfidence", "feedbackDown", "escalation", "closestGuide", "examples"]];
  groups.forEach((g, i) => rows.push([
    i + 1, g.count, g.representative, Object.entries(g.languages).map(([l, n]) => `${l} ${n}`).join("; "),
    g.reasons.fallback, g.reasons.lowConfidence, g.reasons.feedbackDown, g.reasons.escalation, g.closestGuide, g.examples.join(" | "),
  ]));
  return toCsv(rows);
}
