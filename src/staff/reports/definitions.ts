/**
 * Reports for the municipality and the content editors, computed from the stored turns, events
 * and tickets (this folder; `index.ts` is what others import):
 *
 * - `computeIndicators` (indicators.ts): what the assistant achieved in a period, as aggregates
 *   only (no text, no resident or ticket ids) for the digital-inclusion action plan;
 * - `unansweredReport` (unanswered.ts, grouping in grouping.ts): what residents asked and did not
 *   get, grouped by similar wording, so that editors know which guides to write or improve;
 * - csv.ts: both as CSV.
 *
 * This module holds what both share: the definitions below, the period and the SQL of a question.
 *
 * Both take a half-open period `[from, to)` of instants; weeks and days are read on a clock in
 * Latvia ({@link TIME_ZONE}). The CSV forms are RFC 4180 with CRLF line ends and a UTF-8 byte
 * order mark, so that Excel opens them correctly.
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
import { TIME_ZONE } from "../../core/hours.js";
import { smallTalk } from "../../nlp/intents.js";

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

/** SQL: the turn aliased `t` is free text (typed, or edited after sending). */
export const FREE_TEXT = (t: string): string => `(${t}.kind IN ('text', 'edited'))`;

/** SQL: the turn aliased `t` would be a question if it were not small talk. */
const questionShape = (t: string): string =>
  `${t}.direction = 'in' AND ${t}.intent IN ('guide', 'clarify', 'fallback', 'escalate')
    AND (${t}.score IS NOT NULL OR (${t}.intent = 'fallback' AND ${FREE_TEXT(t)}))`;

/** SQL: the turn aliased `t` is a question; `excluded` names the bigint[] parameter of small talk. */
export const isQuestion = (t: string, excluded: string): string =>
  `(${questionShape(t)}
    AND NOT (${t}.id = ANY(${excluded}::bigint[])))`;

/**
 * SQL: the turn aliased `t` is a question, small talk being the free-text fallbacks (of the
 * period `[from, to)` when given, SQL expressions) whose text is in the text[] parameter `texts`
 * ({@link smallTalkTexts}): the same turns as {@link isQuestion} with the ids of those turns,
 * without sending every id (an array of ids is compared with each turn one element at a time).
 */
export const isQuestionBesidesTexts = (t: string, texts: string, period?: { readonly from: string; readonly to: string }): string =>
  `(${questionShape(t)}
    AND NOT (${t}.intent = 'fallback' AND ${t}.score IS NULL AND ${FREE_TEXT(t)}${period ? ` AND ${t}.created_at >= ${period.from} AND ${t}.created_at < ${period.to}` : ""}
      AND ${t}.text = ANY(${texts}::text[])))`;

/** True for text that is not a question: only a greeting or thanks, or nothing to read. */
export function notAQuestion(text: string): boolean {
  const clean = text.trim();
  return !/[\p{L}\p{N}]/u.test(clean) || smallTalk(clean) !== undefined;
}

/** @throws {RangeError} when the period is invalid or empty. */
export function checkPeriod(period: ReportPeriod): void {
  if (!(period.from instanceof Date) || !(period.to instanceof Date) || Number.isNaN(period.from.getTime()) || Number.isNaN(period.to.getTime())) {
    throw new RangeError("the period needs valid from and to dates");
  }
  if (period.to.getTime() <= period.from.getTime()) throw new RangeError("the period must end after it starts");
}

/** Ids of free-text fallback turns in the period that are small talk or empty (not questions). */
export async function smallTalkIds(db: ReportDb, period: ReportPeriod): Promise<string[]> {
  const { rows } = await db.query<{ id: string; text: string }>(
    `SELECT t.id, t.text FROM turns t
     WHERE t.direction = 'in' AND t.intent = 'fallback' AND t.score IS NULL AND ${FREE_TEXT("t")}
       AND t.created_at >= $1 AND t.created_at < $2`,
    [period.from, period.to]);
  return rows.filter((r) => notAQuestion(r.text)).map((r) => r.id);
}

/** The distinct texts of the period's free-text fallback turns that are small talk or empty (see {@link isQuestionBesidesTexts}). */
export async function smallTalkTexts(db: ReportDb, period: ReportPeriod): Promise<string[]> {
  const { rows } = await db.query<{ text: string }>(
    `SELECT DISTINCT t.text FROM turns t
     WHERE t.direction = 'in' AND t.intent = 'fallback' AND t.score IS NULL AND ${FREE_TEXT("t")}
       AND t.created_at >= $1 AND t.created_at < $2`,
    [period.from, period.to]);
  return rows.filter((r) => notAQuestion(r.text)).map((r) => r.text);
}
