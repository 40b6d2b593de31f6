-- Indexes the unanswered report needs for a year (src/staff/reports/unanswered.ts, checked with
-- EXPLAIN ANALYZE on bench/year.ts's data).
--
-- The period's fallbacks and weak guide answers, and the free-text fallbacks that may be small
-- talk (every report reads those): a tenth or so of the inbound turns, which without this index
-- meant reading every inbound turn of the period. The predicate repeats LOW_CONFIDENCE
-- (src/staff/reports/definitions.ts) as the report's SQL writes it; if those limits change,
-- change both (the report stays right without the index, only slower).
CREATE INDEX turns_unanswered_idx ON turns (created_at)
  WHERE direction = 'in' AND (intent = 'fallback' OR (intent = 'guide' AND (coverage < 0.5 OR score < 40)));

-- A resident's last question before a 👎 or a ticket: one step back from the moment instead of
-- sorting all of the resident's turns (thousands for the busiest residents).
CREATE INDEX turns_questions_idx ON turns (resident_id, created_at, id)
  WHERE direction = 'in' AND intent IN ('guide', 'clarify', 'fallback', 'escalate');
