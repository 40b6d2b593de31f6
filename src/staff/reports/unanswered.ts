/**
 * What residents asked and did not get, from the stored turns, events and tickets; grouped by
 * similar wording in grouping.ts. The questions are found and counted by wording in one SQL
 * statement, so that a year sends a few thousand distinct wordings instead of every question;
 * the figures equal `unansweredReportFromOccurrences` (unanswered-raw.ts), which reads the
 * questions one by one (a property test compares both on random data).
 * @module
 */
import pg from "pg";
import { READ_ONLY_SNAPSHOT, withTransaction } from "../../store/transaction.js";
import { checkPeriod, isQuestionBesidesTexts, LOW_CONFIDENCE, notAQuestion, smallTalkTexts, type ReportDb, type ReportPeriod } from "./definitions.js";
import { groupWordings, type UnansweredGroup, type WordingCount } from "./grouping.js";

/** Options for {@link unansweredReport}. */
export interface UnansweredOptions extends ReportPeriod {
  /** At most this many groups, most frequent first (default 50). */
  readonly limit?: number;
}

/** Parameters: $1 from, $2 to, $3 small talk texts. */
const QUESTION = isQuestionBesidesTexts("t", "$3", { from: "$1", to: "$2" });
/**
 * SQL: a fallback or a weak guide answer, written as the predicate of `turns_unanswered_idx`
 * (migration 130) so that the planner can read the period's few such turns from it.
 */
const WEAK = `(t.intent = 'fallback' OR (t.intent = 'guide' AND (t.coverage < ${LOW_CONFIDENCE.coverage} OR t.score < ${LOW_CONFIDENCE.score})))`;

/**
 * SQL: the period's unanswered questions counted by wording. Each source gives the turns it
 * counts with the reason and the guide to name when the turn has no closest guide; a turn counts
 * once, with every reason, and the guide of its first source (weak answers, then 👎 in the order
 * pressed, then tickets in the order created). Tickets whose last question is no stored turn
 * count as themselves (kind `ticket`; their wording is chosen in code, see {@link unansweredReport}).
 */
const UNANSWERED_SQL = `
  WITH weak AS (
    SELECT t.id, t.text, t.lang, t.best_guide, t.created_at, 1 AS source, NULL::timestamptz AS source_at, NULL::bigint AS source_id, NULL::text AS alt_guide,
      CASE WHEN t.intent = 'fallback' AND t.flow_id <> '' AND t.step_id <> '' THEN t.flow_id || ' › ' || t.step_id END AS in_flow,
      CASE WHEN t.intent = 'fallback' THEN 'fallback' ELSE 'lowConfidence' END AS reason
    FROM turns t
    WHERE t.created_at >= $1 AND t.created_at < $2 AND ${QUESTION}
      AND ${WEAK}
  ), disliked AS (
    SELECT t.id, t.text, t.lang, t.best_guide, t.created_at, 2, e.created_at, e.id, e.guide_id, NULL, 'feedbackDown'
    FROM events e
    JOIN LATERAL (
      SELECT t.* FROM turns t WHERE t.resident_id = e.resident_id AND t.created_at <= e.created_at AND ${QUESTION}
      ORDER BY t.created_at DESC, t.id DESC LIMIT 1
    ) t ON true
    WHERE e.kind = 'feedback-down' AND e.created_at >= $1 AND e.created_at < $2
  ), escalated AS (
    SELECT k.id AS ticket_id, k.lang AS ticket_lang, k.question, k.context->>'lastQuestion' AS last, k.context->>'guide' AS guide, k.created_at AS ticket_at,
      t.id, t.text, t.lang, t.best_guide, t.created_at
    FROM tickets k
    LEFT JOIN LATERAL (
      SELECT t.* FROM turns t
      WHERE k.context->>'lastQuestion' IS NOT NULL AND t.resident_id = k.resident_id AND t.created_at <= k.created_at AND ${QUESTION}
        AND left(btrim(t.text), 500) = k.context->>'lastQuestion'
      ORDER BY t.created_at DESC, t.id DESC LIMIT 1
    ) t ON true
    WHERE k.created_at >= $1 AND k.created_at < $2
  ), counted AS (
    SELECT * FROM weak
    UNION ALL SELECT * FROM disliked
    UNION ALL SELECT id, text, lang, best_guide, created_at, 3, ticket_at, ticket_id, guide, NULL, 'escalation' FROM escalated WHERE id IS NOT NULL
  ), questions AS (
    SELECT id, text, lang, best_guide, created_at, (array_agg(alt_guide ORDER BY source, source_at, source_id))[1] AS alt_guide, max(in_flow) AS in_flow,
      bool_or(reason = 'fallback') AS fallback, bool_or(reason = 'lowConfidence') AS low, bool_or(reason = 'feedbackDown') AS down, bool_or(reason = 'escalation') AS escalation
    FROM counted GROUP BY id, text, lang, best_guide, created_at
  )
  SELECT 'turn' AS kind, text, NULL AS question, COALESCE(lang, 'unknown') AS lang, COALESCE(best_guide, alt_guide) AS guide, in_flow,
    count(*)::int AS n, min(created_at) AS at, (count(*) FILTER (WHERE fallback))::int AS fallback, (count(*) FILTER (WHERE low))::int AS low,
    (count(*) FILTER (WHERE down))::int AS down, (count(*) FILTER (WHERE escalation))::int AS escalation
  FROM questions GROUP BY 2, 3, 4, 5, 6
  UNION ALL
  SELECT 'ticket', last, question, ticket_lang, guide, NULL, count(*)::int, min(ticket_at), 0, 0, 0, count(*)::int
  FROM escalated WHERE id IS NULL GROUP BY last, question, ticket_lang, guide`;

interface WordingRow {
  kind: "turn" | "ticket";
  /** The turn's text; for a ticket, `context.lastQuestion`. */
  text: string | null;
  /** The ticket's question (tickets only). */
  question: string | null;
  lang: string;
  guide: string | null;
  in_flow: string | null;
  n: number;
  at: Date;
  fallback: number;
  low: number;
  down: number;
  escalation: number;
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
 * Each question counts once, with all its reasons; grouped by `groupWordings` (grouping.ts).
 * Personal codes, IBANs and cards were masked when stored; phone numbers and e-mail addresses are
 * masked when grouped (`maskContacts`).
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function unansweredReport(db: ReportDb, options: UnansweredOptions): Promise<UnansweredGroup[]> {
  const period = { from: options.from, to: options.to };
  checkPeriod(period);
  const rows = await inSnapshot(db, async (q) => {
    const excluded = await smallTalkTexts(q, period);
    return (await q.query<WordingRow>(UNANSWERED_SQL, [period.from, period.to, excluded])).rows;
  });
  const wordings: WordingCount[] = rows.map((r) => {
    const last = r.text;
    const text = r.kind === "turn" ? (r.text ?? "") : last && !notAQuestion(last) ? last : (r.question ?? "");
    return {
      text, lang: r.lang, guide: r.guide, count: r.n, at: r.at.getTime(),
      reasons: { fallback: r.fallback, lowConfidence: r.low, feedbackDown: r.down, escalation: r.escalation },
      ...(r.in_flow ? { inFlow: r.in_flow } : {}),
    };
  });
  return groupWordings(wordings, options.limit ?? 50);
}

/**
 * Runs `fn` in one read-only snapshot without JIT compilation when `db` is a pool (the lateral
 * look-ups make a year's plan look expensive enough for JIT, which costs seconds and saves
 * nothing here) and with room to count a year's questions in memory; a client's caller keeps its
 * own transaction.
 */
async function inSnapshot<T>(db: ReportDb, fn: (q: ReportDb) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return fn(db);
  return withTransaction(db, async (client) => {
    await client.query("SET LOCAL jit = off");
    // A year's questions are sorted and counted in memory rather than in temporary files.
    await client.query("SET LOCAL work_mem = '64MB'");
    return fn(client);
  }, READ_ONLY_SNAPSHOT);
}
