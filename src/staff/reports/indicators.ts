/**
 * The municipality's indicators for a period: aggregates only (no text, no resident or ticket
 * ids). Every definition is documented on {@link Indicators} and in `definitions.ts`.
 * @module
 */
import { TIME_ZONE } from "../../core/hours.js";
import {
  APPLICATION_FLOW, APPLICATION_GUIDE, checkPeriod, CONVERSATION_GAP_MINUTES, E_INVOICE_FLOW, E_INVOICE_GUIDE, isQuestion,
  smallTalkIds, type ReportDb, type ReportPeriod,
} from "./definitions.js";

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
