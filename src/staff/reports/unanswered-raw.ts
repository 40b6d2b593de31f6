/**
 * The unanswered report computed one question at a time: every question is read from the stored
 * turns, events and tickets and grouped in code. The reference that `unansweredReport` (unanswered.ts)
 * (which counts equal wordings in SQL) must equal; a property test compares both on random data.
 * @module
 */
import { checkPeriod, isQuestion, LOW_CONFIDENCE, notAQuestion, smallTalkIds, type ReportDb } from "./definitions.js";
import { groupQuestions, type Occurrence, type UnansweredGroup, type UnansweredReason } from "./grouping.js";
import type { UnansweredOptions } from "./unanswered.js";

/**
 * What residents asked in `[from, to)` and did not get, grouped by similar wording, most frequent
 * first, as `unansweredReport` (unanswered.ts) defines it. A question (see the module's definition) is included when it:
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
 * Each question counts once, with all its reasons; grouped by `groupQuestions` (grouping.ts).
 * Personal codes, IBANs and cards were masked when stored; phone numbers and e-mail addresses are
 * masked when grouped (`maskContacts`).
 * @throws {RangeError} when the period is invalid or empty.
 */
export async function unansweredReportFromOccurrences(db: ReportDb, options: UnansweredOptions): Promise<UnansweredGroup[]> {
  const period = { from: options.from, to: options.to };
  checkPeriod(period);
  const limit = options.limit ?? 50;
  const excluded = await smallTalkIds(db, period);
  const q = isQuestion("t", "$3");
  interface TurnRow { id: string; text: string; lang: string | null; best_guide: string | null; created_at: Date }

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

  return groupQuestions(occurrences.values(), limit);
}
