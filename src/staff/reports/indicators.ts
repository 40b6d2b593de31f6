/**
 * The municipality's indicators for a period: aggregates only (no text, no resident or ticket
 * ids). Every definition is documented on {@link Indicators} and in `definitions.ts`.
 * @module
 */
import { TIME_ZONE } from "../../core/hours.js";
import { READ_ONLY_SNAPSHOT, withTransaction } from "../../store/transaction.js";
import { refreshReportAggregates, type AggregatesDb } from "./aggregates.js";
import {
  APPLICATION_GUIDE, checkPeriod, CONVERSATION_GAP_MINUTES, E_INVOICE_GUIDE, FREE_TEXT, isQuestion, notAQuestion, type ReportDb, type ReportPeriod,
} from "./definitions.js";
import { activitySql, conversationsSql, EVENT_KEY_PREFIX, FLOWS_SQL, rigaDay, TICKETS_SQL, TIMES_SQL, WEEKS_SQL } from "./indicators-sql.js";

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
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A ticket created in the period, as the report reads it. */
export interface TicketRow { readonly topic: string; readonly parish: string; readonly centre: string; readonly rating: number | null }
/** Staff times and ratings of the period's tickets, as the report reads them. */
export interface TimesRow {
  readonly responded: number; readonly response_median: number | null; readonly response_p90: number | null;
  readonly closed: number; readonly resolution_median: number | null; readonly resolution_p90: number | null;
  readonly ratings: number; readonly average: number | null;
}
/** One week's activity while the figures are summed. */
export interface WeekCounts { conversations: number; residents: number; questions: number }

/** What {@link assembleIndicators} puts together, however it was computed. */
export interface IndicatorParts {
  readonly weeks: readonly { readonly week: string; readonly week_start: string }[];
  /** By ISO week (`2026-W45`). */
  readonly byWeek: ReadonlyMap<string, WeekCounts>;
  readonly conversations: { readonly conversations: number; readonly withQuestions: number; readonly withGuide: number; readonly resolved: number };
  readonly residents: number;
  readonly inbound: number;
  readonly questions: number;
  readonly tickets: readonly TicketRow[];
  readonly times: TimesRow | undefined;
  readonly languages: readonly { readonly lang: string; readonly residents: number; readonly turns: number }[];
  readonly guides: readonly GuideUse[];
  readonly flows: readonly FlowUse[];
  readonly outcomes: Indicators["outcomes"];
}

/** The indicators from their parts (rounding, tallies and orders in one place). */
export function assembleIndicators(period: ReportPeriod, parts: IndicatorParts): Indicators {
  const tally = (values: readonly string[]): KeyCount[] => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([key, count]) => ({ key, count })).sort(byCount);
  };
  const { tickets, times, conversations: c } = parts;
  const distribution = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
  for (const t of tickets) if (t.rating !== null) distribution[String(t.rating) as keyof typeof distribution]++;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: TIME_ZONE, conversationGapMinutes: CONVERSATION_GAP_MINUTES },
    totals: { conversations: c.conversations, residents: parts.residents, inboundMessages: parts.inbound, questions: parts.questions },
    weeks: parts.weeks.map((w) => ({
      week: w.week,
      weekStart: w.week_start,
      conversations: parts.byWeek.get(w.week)?.conversations ?? 0,
      residents: parts.byWeek.get(w.week)?.residents ?? 0,
      questions: parts.byWeek.get(w.week)?.questions ?? 0,
    })),
    resolvedByBot: {
      conversationsWithQuestions: c.withQuestions,
      conversationsWithGuideAnswer: c.withGuide,
      conversationsResolved: c.resolved,
      share: c.withQuestions > 0 ? round(c.resolved / c.withQuestions, 3) : null,
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
      residents: parts.languages.map((r) => ({ key: r.lang, count: r.residents })).sort(byCount),
      inboundMessages: parts.languages.map((r) => ({ key: r.lang, count: r.turns })).sort(byCount),
    },
    guides: [...parts.guides].sort((a, b) => b.answers - a.answers || byText(a.id, b.id)).map((g) => ({ id: g.id, answers: g.answers, residents: g.residents })),
    flows: parts.flows.map((r) => ({ id: r.id, started: r.started, completed: r.completed })),
    outcomes: parts.outcomes,
  };
}

/** Runs the queries one after another on one connection (a client runs one query at a time). */
async function inTurn<const T extends readonly (() => Promise<unknown>)[]>(queries: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  for (const q of queries) out.push(await q());
  return out as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const mondayOf = (day: string): string => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

/** SQL: `[$1, $2)` minus the whole days `[$3, $4)` (the period's partial days) for the instant `at`. */
const edges = (at: string): string => `((${at} >= $1 AND ${at} < $3) OR (${at} >= $4 AND ${at} < $2))`;
const EDGE_TURNS = `turns t WHERE ${edges("t.created_at")}`;
const EDGE_EVENTS = `events e WHERE ${edges("e.created_at")}`;

/** The period's whole days in Latvia `[p, q)` (none when it spans no whole day: p = q = to) and the oldest day the day bits are read from. */
const SPLIT_SQL = `
  WITH local AS (
    SELECT $1::timestamptz AT TIME ZONE '${TIME_ZONE}' AS f, date_trunc('day', $1::timestamptz AT TIME ZONE '${TIME_ZONE}') AS f0,
           date_trunc('day', $2::timestamptz AT TIME ZONE '${TIME_ZONE}') AS t0
  ), days AS (SELECT CASE WHEN f0 = f THEN f0 ELSE f0 + interval '1 day' END AS p, t0 AS q FROM local)
  SELECT CASE WHEN p < q THEN p AT TIME ZONE '${TIME_ZONE}' ELSE $2 END AS p_at, CASE WHEN p < q THEN q AT TIME ZONE '${TIME_ZONE}' ELSE $2 END AS q_at,
    (CASE WHEN p < q THEN p ELSE q END)::date::text AS p_day, q::date::text AS q_day,
    GREATEST((CASE WHEN p < q THEN p ELSE q END)::date, (SELECT ${rigaDay("data_from")} FROM report_state))::text AS bits_day
  FROM days`;

/** Conversations that the period's start or end cuts (from the kept ones), and the part of each inside the period. */
const STRADDLERS = `
  longest AS (SELECT COALESCE(max(end_at - start_at), interval '0') AS d FROM report_conversations),
  straddlers AS (
    SELECT c.* FROM report_conversations c, longest l WHERE c.start_at < $1 AND c.end_at >= $1 AND c.start_at >= $1::timestamptz - l.d
    UNION ALL
    SELECT c.* FROM report_conversations c, longest l WHERE c.start_at >= GREATEST($1::timestamptz, $2::timestamptz - l.d) AND c.start_at < $2 AND c.end_at >= $2
  ),
  windows AS (SELECT s.resident_id, GREATEST(s.start_at, $1::timestamptz) AS lo, s.end_at AS hi FROM straddlers s)`;
const WINDOW_TURNS = "windows w JOIN turns t ON t.resident_id = w.resident_id AND t.created_at >= w.lo AND t.created_at <= w.hi AND t.created_at < $2";
const FALLBACK_TEXT = `t.direction = 'in' AND t.intent = 'fallback' AND t.score IS NULL AND ${FREE_TEXT("t")}`;

/**
 * Computes the indicators for `[from, to)`; every definition is documented on {@link Indicators}
 * and in the module comment. Reads the kept aggregates (aggregates.ts) for the period's whole
 * days and its conversations, and the stored turns for its partial days and the conversations
 * its start or end cuts; brings the aggregates up to date first. The figures equal
 * `computeIndicatorsFromTurns` (indicators-raw.ts).
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function computeIndicators(pool: AggregatesDb, period: ReportPeriod): Promise<Indicators> {
  checkPeriod(period);
  await refreshReportAggregates(pool);
  // One snapshot for every part, so that the parts add up even while residents write.
  return withTransaction(pool, async (client) => {
    await client.query("SET LOCAL jit = off");
    return readIndicators(client, period);
  }, READ_ONLY_SNAPSHOT);
}

async function readIndicators(db: ReportDb, period: ReportPeriod): Promise<Indicators> {
  const range = [period.from, period.to];
  const split = (await db.query<{ p_at: Date; q_at: Date; p_day: string; q_day: string; bits_day: string }>(SPLIT_SQL, range)).rows[0];
  if (!split) throw new Error("the period split returned no row");
  const { p_day: pd, q_day: qd } = split;
  const cut = [...range, split.p_at, split.q_at];

  const fallbacks = await db.query<{ id: string; text: string }>(
    `WITH ${STRADDLERS}
     SELECT t.id, t.text FROM turns t WHERE ${FALLBACK_TEXT} AND ${edges("t.created_at")}
     UNION SELECT t.id, t.text FROM ${WINDOW_TURNS} WHERE ${FALLBACK_TEXT}`, cut);
  const excluded = fallbacks.rows.filter((r) => notAQuestion(r.text)).map((r) => r.id);
  const question = isQuestion("t", "$5");
  const firstFull = pd === mondayOf(pd) ? pd : addDays(mondayOf(pd), 7);
  const lastFull = mondayOf(qd);
  // A bit string starts with its first day's 1 (rebuildBits in aggregates.ts), so a first day inside the window counts without reading the bits.
  const counted = `(b.first_day >= (LO) AND b.first_day < $6::date OR bit_count(substring(b.bits FROM GREATEST(1, (LO) - b.first_day + 1) FOR GREATEST(0, $6::date - GREATEST(LO, b.first_day)))) > 0)`
    .replaceAll("LO", `CASE WHEN b.key LIKE '${EVENT_KEY_PREFIX}%' THEN $5::date ELSE $7::date END`);

  interface ConversationRow { day: string; questions: number; guided: boolean; resolved: boolean }
  const [weekRows, dayRows, conversationDays, edgeConversations, straddlers, edgeActivity, distinct, partialWeeks, ticketRows, timeRows, flowRows] = await inTurn([
    () => db.query<{ week: string; week_start: string }>(WEEKS_SQL, range),
    () => db.query<{ day: string; key: string; n: string; q: string; residents: string }>(
      "SELECT day::text AS day, key, n, q, residents FROM report_day_counts WHERE day >= $1::date AND day < $2::date AND n > 0", [pd, qd]),
    () => db.query<{ day: string; conversations: string; with_questions: string; with_guide: string; resolved: string }>(
      "SELECT day::text AS day, conversations, with_questions, with_guide, resolved FROM report_conversation_counts WHERE day >= $1::date AND day < $2::date", [pd, qd]),
    () => db.query<ConversationRow>(
      `SELECT day::text AS day, questions, guided, resolved FROM report_conversations WHERE ${edges("start_at")} AND end_at < $2`, cut),
    () => db.query<ConversationRow & { sign: number }>(
      `SELECT 1 AS sign, j.day::text AS day, j.questions, j.guided, j.resolved FROM (${conversationsSql(`
         WITH ${STRADDLERS}
         SELECT w.resident_id::text || '/' || w.lo::text AS grp, t.resident_id, t.id, t.created_at, t.intent, ${question} AS is_question
         FROM ${WINDOW_TURNS} WHERE t.direction = 'in'`)}) j
       UNION ALL
       (WITH ${STRADDLERS} SELECT -1, s.day::text, s.questions, s.guided, s.resolved FROM straddlers s WHERE s.start_at >= $3 AND s.start_at < $4)`,
      [...cut, excluded]),
    () => db.query<{ key: string; day: string; n: number; q: number }>(
      `SELECT a.key, ${rigaDay("a.created_at")}::text AS day, count(*)::int AS n, sum(a.q)::int AS q
       FROM (${activitySql(EDGE_TURNS, EDGE_EVENTS, question)}) a GROUP BY 1, 2`, [...cut, excluded]),
    () => db.query<{ key: string; residents: number }>(
      `WITH edge AS (
         SELECT DISTINCT a.key, a.resident_id FROM (${activitySql(EDGE_TURNS, EDGE_EVENTS, "false")}) a
         UNION SELECT '*', t.resident_id FROM turns t WHERE t.direction = 'in' AND ${edges("t.created_at")}
       ), counted AS (
         SELECT b.key, b.resident_id FROM report_resident_bits b WHERE ${counted}
         UNION ALL
         SELECT e.key, e.resident_id FROM edge e
         WHERE NOT EXISTS (SELECT 1 FROM report_resident_bits b WHERE b.key = e.key AND b.resident_id = e.resident_id AND ${counted})
       )
       SELECT key, count(*)::int AS residents FROM counted GROUP BY key
       UNION ALL SELECT 'guided:invoice', count(DISTINCT resident_id)::int FROM counted WHERE key IN ('guide:${E_INVOICE_GUIDE}', 'outcome:invoice-started')
       UNION ALL SELECT 'guided:application', count(DISTINCT resident_id)::int FROM counted WHERE key IN ('guide:${APPLICATION_GUIDE}', 'outcome:application-started')`,
      [...cut, pd, qd, split.bits_day]),
    () => db.query<{ week_start: string; residents: number }>(
      `SELECT w::text AS week_start, count(DISTINCT resident_id)::int AS residents FROM (
         SELECT date_trunc('week', d.day::timestamp)::date AS w, d.resident_id FROM report_resident_days d
         WHERE d.key LIKE 'lang:%' AND ((d.day >= $5::date AND d.day < $6::date) OR (d.day >= $7::date AND d.day < $8::date))
         UNION ALL
         SELECT date_trunc('week', ${rigaDay("t.created_at")}::timestamp)::date, t.resident_id FROM turns t WHERE t.direction = 'in' AND ${edges("t.created_at")}
       ) x GROUP BY w`,
      [...cut, pd, firstFull < qd ? firstFull : qd, lastFull > pd ? lastFull : pd, qd]),
    () => db.query<TicketRow>(TICKETS_SQL, range),
    () => db.query<TimesRow>(TIMES_SQL, range),
    () => db.query<{ id: string; started: number; completed: number }>(FLOWS_SQL, range),
  ]);

  const labels = new Map(weekRows.rows.map((w) => [w.week_start, w.week]));
  const byWeek = new Map<string, WeekCounts>();
  const week = (day: string): WeekCounts => {
    const label = labels.get(mondayOf(day)) ?? mondayOf(day);
    const found = byWeek.get(label);
    if (found) return found;
    const fresh = { conversations: 0, residents: 0, questions: 0 };
    byWeek.set(label, fresh);
    return fresh;
  };
  const conversations = { conversations: 0, withQuestions: 0, withGuide: 0, resolved: 0 };
  const addConversations = (day: string, n: number, withQuestions: number, withGuide: number, resolved: number): void => {
    week(day).conversations += n;
    conversations.conversations += n;
    conversations.withQuestions += withQuestions;
    conversations.withGuide += withGuide;
    conversations.resolved += resolved;
  };
  for (const r of conversationDays.rows) addConversations(r.day, Number(r.conversations), Number(r.with_questions), Number(r.with_guide), Number(r.resolved));
  for (const r of edgeConversations.rows) addConversations(r.day, 1, r.questions > 0 ? 1 : 0, r.questions > 0 && r.guided ? 1 : 0, r.resolved ? 1 : 0);
  for (const r of straddlers.rows) addConversations(r.day, r.sign, r.questions > 0 ? r.sign : 0, r.questions > 0 && r.guided ? r.sign : 0, r.resolved ? r.sign : 0);

  const turnsByKey = new Map<string, number>();
  let questions = 0;
  const addActivity = (day: string, key: string, n: number, q: number): void => {
    turnsByKey.set(key, (turnsByKey.get(key) ?? 0) + n);
    if (q === 0) return;
    questions += q;
    week(day).questions += q;
  };
  for (const r of dayRows.rows) {
    addActivity(r.day, r.key, Number(r.n), Number(r.q));
    // A whole week inside the whole days: its residents are the sum of their first active days.
    const monday = mondayOf(r.day);
    if (Number(r.residents) > 0 && monday >= pd && addDays(monday, 7) <= qd) week(r.day).residents += Number(r.residents);
  }
  for (const r of edgeActivity.rows) addActivity(r.day, r.key, r.n, r.q);
  for (const r of partialWeeks.rows) week(r.week_start).residents += r.residents;

  const residents = new Map(distinct.rows.map((r) => [r.key, r.residents]));
  const prefixed = (prefix: string): [string, number][] => [...turnsByKey].filter(([k, n]) => k.startsWith(prefix) && n > 0).map(([k, n]) => [k.slice(prefix.length), n]);
  const count = (key: string): number => residents.get(key) ?? 0;
  return assembleIndicators(period, {
    weeks: weekRows.rows,
    byWeek,
    conversations,
    residents: count("*"),
    inbound: prefixed("lang:").reduce((s, [, n]) => s + n, 0),
    questions,
    tickets: ticketRows.rows,
    times: timeRows.rows[0],
    languages: prefixed("lang:").map(([lang, turns]) => ({ lang, turns, residents: count(`lang:${lang}`) })),
    guides: prefixed("guide:").map(([id, answers]) => ({ id, answers, residents: count(`guide:${id}`) })),
    flows: flowRows.rows,
    outcomes: {
      eInvoices: {
        residentsGuided: count("guided:invoice"), residentsAnswered: count(`guide:${E_INVOICE_GUIDE}`),
        residentsStartedSetup: count("outcome:invoice-started"), residentsCompleted: count("outcome:invoice-done"),
      },
      onlineApplications: {
        residentsGuided: count("guided:application"), residentsAnswered: count(`guide:${APPLICATION_GUIDE}`),
        residentsStartedFlow: count("outcome:application-started"), residentsCompleted: count("outcome:application-done"),
      },
    },
  });
}
