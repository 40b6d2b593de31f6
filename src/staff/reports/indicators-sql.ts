/**
 * The SQL of the indicators' definitions, shared by the computation from the stored turns
 * (indicators-raw.ts), the kept aggregates (aggregates.ts) and the report that reads them
 * (indicators.ts), so that all three count the same things.
 * @module
 */
import { TIME_ZONE } from "../../core/hours.js";
import { APPLICATION_FLOW, CONVERSATION_GAP_MINUTES, E_INVOICE_FLOW } from "./definitions.js";

/** SQL: the day in Latvia (a date) of the instant `at`. */
export const rigaDay = (at: string): string => `((${at}) AT TIME ZONE '${TIME_ZONE}')::date`;

/** SQL: the instant a day in Latvia (a date) starts. */
export const rigaDayStart = (day: string): string => `((${day})::timestamp AT TIME ZONE '${TIME_ZONE}')`;

const gap = `make_interval(mins => ${CONVERSATION_GAP_MINUTES})`;

/**
 * SQL: one row per conversation (resident_id, start_at, end_at, day, questions, guided,
 * resolved) of the inbound turns `inbound` selects, with the columns grp (turns are split into
 * conversations within one grp), resident_id, id, created_at, intent and is_question. A gap of
 * {@link CONVERSATION_GAP_MINUTES} minutes or more starts a new conversation; `resolved` is the
 * judgement documented on `Indicators.resolvedByBot`.
 */
export const conversationsSql = (inbound: string): string => `
  WITH inbound AS (${inbound}),
  marked AS (
    SELECT i.*, CASE WHEN lag(i.created_at) OVER w IS NULL OR i.created_at - lag(i.created_at) OVER w >= ${gap} THEN 1 ELSE 0 END AS starts
    FROM inbound i WINDOW w AS (PARTITION BY i.grp ORDER BY i.created_at, i.id)
  ), numbered AS (
    SELECT m.*, sum(m.starts) OVER (PARTITION BY m.grp ORDER BY m.created_at, m.id) AS conversation FROM marked m
  ), conversations AS (
    SELECT grp, resident_id, conversation, min(created_at) AS start_at, max(created_at) AS end_at,
      (count(*) FILTER (WHERE is_question))::int AS questions, COALESCE(bool_or(intent = 'guide'), false) AS guided,
      bool_or(is_question AND intent = 'fallback') AS fell_back,
      COALESCE(max(id) FILTER (WHERE intent = 'clarify') > COALESCE(max(id) FILTER (WHERE intent = 'guide'), 0), false) AS unclarified
    FROM numbered GROUP BY grp, resident_id, conversation
  )
  SELECT c.resident_id, c.start_at, c.end_at, ${rigaDay("c.start_at")} AS day, c.questions, c.guided,
    (c.questions > 0 AND c.guided AND NOT c.fell_back AND NOT c.unclarified
      AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.resident_id = c.resident_id AND k.created_at >= c.start_at AND k.created_at < c.end_at + ${gap})
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.resident_id = c.resident_id AND e.kind = 'feedback-down'
        AND e.created_at >= c.start_at AND e.created_at < c.end_at + ${gap})) AS resolved
  FROM conversations c`;

/**
 * SQL: what the figures count, one row per occurrence (resident_id, created_at, key, q):
 * `lang:<lang>` for every inbound turn (q = 1 when it is a question), `guide:<id>` for an answer
 * from a guide, `outcome:invoice-started|application-started` for a started e-service flow and
 * `outcome:invoice-done|application-done` for a finished one. `turns` and `events` are FROM …
 * WHERE … clauses over `turns t` and `events e`; `question` is the SQL of a question.
 */
export const activitySql = (turns: string, events: string, question: string): string => `
  SELECT t.resident_id, t.created_at, 'lang:' || COALESCE(t.lang, 'unknown') AS key, CASE WHEN ${question} THEN 1 ELSE 0 END AS q
  FROM ${turns} AND t.direction = 'in'
  UNION ALL
  SELECT t.resident_id, t.created_at, 'guide:' || t.guide_id, 0 FROM ${turns} AND t.direction = 'in' AND t.intent = 'guide' AND t.guide_id IS NOT NULL
  UNION ALL
  SELECT e.resident_id, e.created_at,
    CASE WHEN e.kind = 'e-invoice-done' THEN 'outcome:invoice-done' WHEN e.kind = 'application-done' THEN 'outcome:application-done'
         WHEN e.flow_id = '${E_INVOICE_FLOW}' THEN 'outcome:invoice-started' ELSE 'outcome:application-started' END, 0
  FROM ${events} AND e.resident_id IS NOT NULL
    AND (e.kind IN ('e-invoice-done', 'application-done') OR (e.kind = 'flow-started' AND e.flow_id IN ('${E_INVOICE_FLOW}', '${APPLICATION_FLOW}')))`;

/** Keys of {@link activitySql} that come from events (kept when the retention job removes old turns). */
export const EVENT_KEY_PREFIX = "outcome:";

/** SQL: every ISO week overlapping `[$1, $2)` (week, week_start as YYYY-MM-DD), in Latvia. */
export const WEEKS_SQL = `
  SELECT DISTINCT to_char(d, 'IYYY-"W"IW') AS week, to_char(date_trunc('week', d), 'YYYY-MM-DD') AS week_start
  FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE '${TIME_ZONE}'),
                       ($2::timestamptz AT TIME ZONE '${TIME_ZONE}') - interval '1 microsecond', interval '1 day') AS d
  ORDER BY week`;

/** SQL: the tickets created in `[$1, $2)` (topic, parish, centre, rating). */
export const TICKETS_SQL = `
  SELECT COALESCE(context->>'guide', context->>'flow', 'unknown') AS topic, COALESCE(parish, 'unknown') AS parish, centre_id AS centre, rating
  FROM tickets WHERE created_at >= $1 AND created_at < $2`;

/** SQL: staff times and ratings of the tickets created in `[$1, $2)`. */
export const TIMES_SQL = `
  SELECT count(first_response_at)::int AS responded,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_response_at - created_at) / 60) AS response_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_response_at - created_at) / 60) AS response_p90,
    count(closed_at)::int AS closed,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - created_at) / 60) AS resolution_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - created_at) / 60) AS resolution_p90,
    count(rating)::int AS ratings, avg(rating)::float8 AS average
  FROM tickets WHERE created_at >= $1 AND created_at < $2`;

/** SQL: flows started and completed in `[$1, $2)`, most started first. */
export const FLOWS_SQL = `
  SELECT flow_id AS id, count(*) FILTER (WHERE kind = 'flow-started')::int AS started, count(*) FILTER (WHERE kind = 'flow-completed')::int AS completed
  FROM events WHERE kind IN ('flow-started', 'flow-completed') AND flow_id IS NOT NULL AND created_at >= $1 AND created_at < $2
  GROUP BY flow_id ORDER BY started DESC, completed DESC, id`;
