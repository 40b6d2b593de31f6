/**
 * The indicators' figures kept per resident and day (migration 100), so that a report for a year
 * reads a few hundred counter rows instead of every turn of the year; the report
 * (indicators.ts) reads them for the whole days of its period and the stored turns for the
 * partial days at its edges, and its figures are exactly those computed from the turns
 * (indicators-raw.ts; a property test compares both on random data and periods).
 *
 * What is kept, and why it is always equal to the stored turns, events and tickets:
 *
 * - **Per resident** (`report_resident_days`: one day's counts under a key; `report_resident_bits`:
 *   the days a resident was active under a key, one bit a day, for distinct residents in any
 *   period; `report_conversations`: each conversation and its judgement). These name the
 *   resident and reference `residents … ON DELETE CASCADE`: `/forget` and the retention job's
 *   deletion of inactive residents remove them in the same statement as the resident.
 * - **Sums without residents** (`report_day_counts`, `report_conversation_counts`): kept equal to
 *   the sum of the resident rows by triggers on those rows, so a deleted resident leaves them too.
 * - **Catch-up**: a turn, event or ticket marks its resident in `report_dirty` in the same
 *   transaction (one insert per statement, by a trigger); {@link refreshReportAggregates}
 *   computes the marked residents again from the marked moment on, from the same SQL definitions
 *   as the report. It runs before every report and every few minutes (so that a report rarely
 *   finds much to do).
 * - **Retention** ({@link beforeRetention}): days whose turns the job removes leave the
 *   aggregates with them; residents whose day or conversation the cut splits are computed again.
 *
 * They hold counts, days and resident ids only: no text, no chat ids.
 * @module
 */
import type pg from "pg";
import { TIME_ZONE } from "../../core/hours.js";
import { withTransaction } from "../../store/transaction.js";
import { CONVERSATION_GAP_MINUTES, FREE_TEXT, isQuestionBesidesTexts, notAQuestion } from "./definitions.js";
import { activitySql, conversationsSql, EVENT_KEY_PREFIX, rigaDay, rigaDayStart } from "./indicators-sql.js";

/** Anything that can hand out a connection for a transaction (a pool). */
export type AggregatesDb = Pick<pg.Pool, "connect" | "query">;

/**
 * At most this many residents are computed in one transaction. A batch of more than a few dozen
 * residents reads the turns table once whole (a hash join, cheaper than an index scan per
 * resident), so the first build on a database with history (every resident marked) runs as one
 * or two set-based passes instead of one whole-table pass per thousand residents.
 */
const BATCH = 50_000;
/** After a catch-up of this many residents the aggregates' statistics are taken again (the report's plans rely on them). */
const ANALYZE_AFTER = 2_000;
/** Arbitrary constant of the advisory lock that keeps two catch-ups from computing the same resident at once. */
const LOCK_ID = 7_420_302;

/** The result of {@link refreshReportAggregates}. */
export interface RefreshResult {
  readonly residents: number;
  readonly batches: number;
}

/**
 * Computes again every resident marked since the last run (all of them after the migration), in
 * batches of {@link BATCH} residents, each in its own transaction.
 */
export async function refreshReportAggregates(db: AggregatesDb): Promise<RefreshResult> {
  let residents = 0;
  let batches = 0;
  for (;;) {
    const n = await refreshBatch(db);
    if (n === 0) {
      if (residents >= ANALYZE_AFTER) await db.query("ANALYZE report_resident_days, report_resident_bits, report_day_counts, report_conversations, report_conversation_counts");
      return { residents, batches };
    }
    residents += n;
    batches++;
  }
}

async function refreshBatch(db: AggregatesDb): Promise<number> {
  return withTransaction(db, async (client) => {
    // Plans over a year look expensive enough for JIT compilation, which costs seconds and saves nothing here.
    await client.query("SET LOCAL jit = off");
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
    return computeBatch(client);
  });
}

async function computeBatch(client: pg.PoolClient): Promise<number> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS report_batch (
    resident_id BIGINT PRIMARY KEY, since TIMESTAMPTZ NOT NULL, conv_from TIMESTAMPTZ NOT NULL, day_from DATE NOT NULL, days_from TIMESTAMPTZ NOT NULL
  ) ON COMMIT DELETE ROWS`);
  // The marked residents and from when: conversations from the first one that the change can
  // touch (it ended less than the gap before the change, or later); days from the change's ISO
  // week (a resident's first active day of the week is counted once).
  const taken = await client.query(
    `WITH gone AS (
       DELETE FROM report_dirty WHERE resident_id IN (SELECT resident_id FROM report_dirty GROUP BY resident_id ORDER BY min(id) LIMIT $1)
       RETURNING resident_id, since
     ), marked AS (SELECT resident_id, min(since) AS since FROM gone GROUP BY resident_id),
     bounds AS (
       SELECT m.resident_id, m.since,
         LEAST(m.since, (SELECT min(c.start_at) FROM report_conversations c WHERE c.resident_id = m.resident_id
           AND c.end_at >= m.since - make_interval(mins => ${CONVERSATION_GAP_MINUTES}))) AS conv_from,
         date_trunc('week', ${rigaDay("m.since")}::timestamp)::date AS day_from
       FROM marked m
     )
     INSERT INTO report_batch (resident_id, since, conv_from, day_from, days_from)
     SELECT resident_id, since, conv_from, day_from, ${rigaDayStart("day_from")} FROM bounds`, [BATCH]);
  const n = taken.rowCount ?? 0;
  if (n === 0) return 0;
  await client.query("ANALYZE report_batch");

  // Greetings and thanks that got no answer are not questions (decided in code, as the report does).
  // By their texts: the batch's turns are all read from LEAST(conv_from, days_from) on, and a list
  // of ids would be compared with every turn one id at a time (minutes for a year's greetings).
  const fallbacks = await client.query<{ text: string }>(
    `SELECT DISTINCT t.text FROM turns t JOIN report_batch b ON b.resident_id = t.resident_id
     WHERE t.created_at >= LEAST(b.conv_from, b.days_from) AND t.direction = 'in' AND t.intent = 'fallback' AND t.score IS NULL AND ${FREE_TEXT("t")}`);
  const excluded = fallbacks.rows.filter((r) => notAQuestion(r.text)).map((r) => r.text);
  const question = isQuestionBesidesTexts("t", "$1");

  await client.query("DELETE FROM report_conversations c USING report_batch b WHERE c.resident_id = b.resident_id AND c.start_at >= b.conv_from");
  await client.query(
    `INSERT INTO report_conversations (resident_id, start_at, end_at, day, questions, guided, resolved)
     SELECT resident_id, start_at, end_at, day, questions, guided, resolved FROM (${conversationsSql(`
       SELECT t.resident_id AS grp, t.resident_id, t.id, t.created_at, t.intent, ${question} AS is_question
       FROM turns t JOIN report_batch b ON b.resident_id = t.resident_id
       WHERE t.direction = 'in' AND t.created_at >= b.conv_from`)}) c`, [excluded]);

  await client.query("DELETE FROM report_resident_days d USING report_batch b WHERE d.resident_id = b.resident_id AND d.day >= b.day_from");
  const activity = activitySql(
    "turns t JOIN report_batch b ON b.resident_id = t.resident_id WHERE t.created_at >= b.days_from",
    "events e JOIN report_batch b ON b.resident_id = e.resident_id WHERE e.created_at >= b.days_from",
    question);
  await client.query(
    `INSERT INTO report_resident_days (resident_id, day, key, n, q, week_first)
     SELECT resident_id, day, key, n, q,
       key LIKE 'lang:%' AND row_number() OVER (PARTITION BY resident_id, date_trunc('week', day), key LIKE 'lang:%' ORDER BY day, key) = 1
     FROM (SELECT a.resident_id, ${rigaDay("a.created_at")} AS day, a.key, count(*)::int AS n, sum(a.q)::int AS q
           FROM (${activity}) a GROUP BY 1, 2, 3) g`, [excluded]);

  await rebuildBits(client);
  return n;
}

/**
 * Day bit strings of the batch's residents, built from all their day rows (`*`: any language):
 * from the first day, a 1 for each day with a row and a 0 for each day between.
 */
async function rebuildBits(client: pg.PoolClient): Promise<void> {
  await client.query("DELETE FROM report_resident_bits x USING report_batch b WHERE x.resident_id = b.resident_id");
  await client.query(
    `WITH days AS (
       SELECT d.resident_id, d.key, d.day FROM report_resident_days d JOIN report_batch b ON b.resident_id = d.resident_id
       UNION ALL
       SELECT DISTINCT d.resident_id, '*', d.day FROM report_resident_days d JOIN report_batch b ON b.resident_id = d.resident_id WHERE d.key LIKE 'lang:%'
     ), gaps AS (
       SELECT resident_id, key, day, day - lag(day) OVER (PARTITION BY resident_id, key ORDER BY day) AS gap FROM days
     )
     INSERT INTO report_resident_bits (resident_id, key, first_day, bits)
     SELECT resident_id, key, min(day), string_agg(CASE WHEN gap IS NULL THEN '1' ELSE repeat('0', gap - 1) || '1' END, '' ORDER BY day)::varbit
     FROM gaps GROUP BY resident_id, key`);
}

/**
 * Keeps the aggregates equal to what the retention job leaves when it removes turns older than
 * `cutoff` (and closed tickets closed before it): call it just before the job deletes, then
 * {@link refreshReportAggregates} after. Removes the days before the cut's day (but the counts
 * from events, which the job keeps) and the conversations that ended before it, and marks the
 * residents whose day or conversation the cut splits (with an hour of margin for the job's own
 * clock).
 */
export async function beforeRetention(db: Pick<pg.Pool, "query">, cutoff: Date): Promise<void> {
  const margin = "interval '1 hour'";
  await db.query(
    `INSERT INTO report_dirty (resident_id, since)
     SELECT DISTINCT t.resident_id, $1::timestamptz FROM turns t
     WHERE t.created_at >= ${rigaDayStart(rigaDay("$1::timestamptz"))} AND t.created_at < $1::timestamptz + ${margin}
     UNION
     SELECT DISTINCT c.resident_id, $1::timestamptz FROM report_conversations c
     WHERE c.end_at >= $1::timestamptz - make_interval(mins => ${CONVERSATION_GAP_MINUTES}) AND c.start_at < $1::timestamptz + ${margin}
       AND c.start_at >= $1::timestamptz - (SELECT COALESCE(max(end_at - start_at), interval '0') FROM report_conversations)
     UNION
     -- A resident first active in the cut's week before its day is counted again from the day kept.
     SELECT DISTINCT d.resident_id, $1::timestamptz FROM report_resident_days d
     WHERE d.week_first AND d.day >= date_trunc('week', ${rigaDay("$1::timestamptz")}::timestamp)::date AND d.day < ${rigaDay("$1::timestamptz")}`,
    [cutoff]);
  await db.query(`DELETE FROM report_resident_days WHERE day < ${rigaDay("$1::timestamptz")} AND key NOT LIKE '${EVENT_KEY_PREFIX}%'`, [cutoff]);
  // A conversation ends after it starts: the start bound only lets the start index find them.
  await db.query("DELETE FROM report_conversations WHERE end_at < $1 AND start_at < $1", [cutoff]);
  await db.query("UPDATE report_state SET data_from = GREATEST(data_from, $1)", [cutoff]);
}

/** The time zone the aggregates' days are in (re-exported for the report). */
export { TIME_ZONE };
