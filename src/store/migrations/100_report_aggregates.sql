-- The indicators' figures kept per day so that a year reads in well under a second
-- (src/staff/reports/aggregates.ts explains them; the report's figures are exactly those computed
-- from the turns, events and tickets). Everything that names a resident references residents
-- ON DELETE CASCADE, so /forget and the retention job remove it with the resident; the counters
-- per day hold sums only and are kept equal to the sum of the resident rows by triggers.

-- Residents whose figures need computing again from `since` on: marked in the same transaction
-- as the turn, event or ticket that changed them (triggers below), consumed by the catch-up.
CREATE TABLE report_dirty (
  id          BIGSERIAL PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  since       TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_dirty_resident_idx ON report_dirty (resident_id);

-- One resident's activity on one day (Europe/Riga) under one key: `lang:<lang>` (n inbound turns,
-- q questions among them; week_first on one row of the resident's first active day in the ISO
-- week), `guide:<id>` (n answers from the guide), `outcome:<what>` (n occurrences).
CREATE TABLE report_resident_days (
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  day         DATE NOT NULL,
  key         TEXT NOT NULL,
  n           INTEGER NOT NULL,
  q           INTEGER NOT NULL DEFAULT 0,
  week_first  BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (resident_id, key, day)
);
CREATE INDEX report_resident_days_day_idx ON report_resident_days (day);

-- The days a resident was active under a key (`*` for any inbound turn), one bit a day from
-- first_day: distinct residents of any period are the rows with a bit set in it.
CREATE TABLE report_resident_bits (
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  first_day   DATE NOT NULL,
  bits        BIT VARYING NOT NULL,
  PRIMARY KEY (key, resident_id)
);
CREATE INDEX report_resident_bits_resident_idx ON report_resident_bits (resident_id);

-- Sums of report_resident_days per day and key (no residents): n, q and residents (week_first rows).
CREATE TABLE report_day_counts (
  day       DATE NOT NULL,
  key       TEXT NOT NULL,
  n         BIGINT NOT NULL,
  q         BIGINT NOT NULL,
  residents BIGINT NOT NULL,
  PRIMARY KEY (day, key)
);

-- A resident's conversations over all their inbound turns (a gap of 30 minutes starts a new one),
-- judged as the indicators define them; day = the Riga day of its first turn.
CREATE TABLE report_conversations (
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  start_at    TIMESTAMPTZ NOT NULL,
  end_at      TIMESTAMPTZ NOT NULL,
  day         DATE NOT NULL,
  questions   INTEGER NOT NULL,
  guided      BOOLEAN NOT NULL,
  resolved    BOOLEAN NOT NULL,
  PRIMARY KEY (resident_id, start_at)
);
CREATE INDEX report_conversations_start_idx ON report_conversations (start_at);
CREATE INDEX report_conversations_length_idx ON report_conversations ((end_at - start_at));

-- Sums of report_conversations per day of their start (no residents).
CREATE TABLE report_conversation_counts (
  day            DATE PRIMARY KEY,
  conversations  BIGINT NOT NULL,
  with_questions BIGINT NOT NULL,
  with_guide     BIGINT NOT NULL,
  resolved       BIGINT NOT NULL
);

-- The oldest instant whose data the retention job kept (bits before its day are not read).
CREATE TABLE report_state (
  id        BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
  data_from TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
INSERT INTO report_state DEFAULT VALUES;

-- Counters follow the resident rows (inserts by the catch-up, deletes by it, /forget and retention).
CREATE FUNCTION report_days_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_day_counts AS c (day, key, n, q, residents)
  SELECT day, key, sum(n), sum(q), count(*) FILTER (WHERE week_first) FROM report_new GROUP BY day, key
  ON CONFLICT (day, key) DO UPDATE SET n = c.n + EXCLUDED.n, q = c.q + EXCLUDED.q, residents = c.residents + EXCLUDED.residents;
  RETURN NULL;
END $$;
CREATE FUNCTION report_days_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE report_day_counts c SET n = c.n - o.n, q = c.q - o.q, residents = c.residents - o.residents
  FROM (SELECT day, key, sum(n) AS n, sum(q) AS q, count(*) FILTER (WHERE week_first) AS residents FROM report_old GROUP BY day, key) o
  WHERE c.day = o.day AND c.key = o.key;
  RETURN NULL;
END $$;
CREATE TRIGGER report_resident_days_added AFTER INSERT ON report_resident_days
  REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_days_added();
CREATE TRIGGER report_resident_days_removed AFTER DELETE ON report_resident_days
  REFERENCING OLD TABLE AS report_old FOR EACH STATEMENT EXECUTE FUNCTION report_days_removed();

CREATE FUNCTION report_conversations_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_conversation_counts AS c (day, conversations, with_questions, with_guide, resolved)
  SELECT day, count(*), count(*) FILTER (WHERE questions > 0), count(*) FILTER (WHERE questions > 0 AND guided), count(*) FILTER (WHERE resolved)
  FROM report_new GROUP BY day
  ON CONFLICT (day) DO UPDATE SET conversations = c.conversations + EXCLUDED.conversations, with_questions = c.with_questions + EXCLUDED.with_questions,
    with_guide = c.with_guide + EXCLUDED.with_guide, resolved = c.resolved + EXCLUDED.resolved;
  RETURN NULL;
END $$;
CREATE FUNCTION report_conversations_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE report_conversation_counts c SET conversations = c.conversations - o.conversations, with_questions = c.with_questions - o.with_questions,
    with_guide = c.with_guide - o.with_guide, resolved = c.resolved - o.resolved
  FROM (SELECT day, count(*) AS conversations, count(*) FILTER (WHERE questions > 0) AS with_questions,
          count(*) FILTER (WHERE questions > 0 AND guided) AS with_guide, count(*) FILTER (WHERE resolved) AS resolved
        FROM report_old GROUP BY day) o
  WHERE c.day = o.day;
  RETURN NULL;
END $$;
CREATE TRIGGER report_conversations_added AFTER INSERT ON report_conversations
  REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_conversations_added();
CREATE TRIGGER report_conversations_removed AFTER DELETE ON report_conversations
  REFERENCING OLD TABLE AS report_old FOR EACH STATEMENT EXECUTE FUNCTION report_conversations_removed();

-- What marks a resident for the catch-up: new turns, events and tickets (one insert per
-- statement), and a changed time or kind of one (never done by the app; tests and imports do).
CREATE FUNCTION report_mark_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty (resident_id, since)
  SELECT resident_id, min(created_at) FROM report_new WHERE resident_id IS NOT NULL GROUP BY resident_id;
  RETURN NULL;
END $$;
CREATE FUNCTION report_mark_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.resident_id IS NOT NULL AND EXISTS (SELECT 1 FROM residents WHERE id = OLD.resident_id) THEN
    INSERT INTO report_dirty (resident_id, since) VALUES (OLD.resident_id, LEAST(OLD.created_at, NEW.created_at));
  END IF;
  IF NEW.resident_id IS NOT NULL AND NEW.resident_id IS DISTINCT FROM OLD.resident_id THEN
    INSERT INTO report_dirty (resident_id, since) VALUES (NEW.resident_id, LEAST(OLD.created_at, NEW.created_at));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER turns_report_inserted AFTER INSERT ON turns
  REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_mark_inserted();
CREATE TRIGGER events_report_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_mark_inserted();
CREATE TRIGGER tickets_report_inserted AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_mark_inserted();
CREATE TRIGGER turns_report_updated AFTER UPDATE OF created_at, direction, intent, guide_id, lang, kind, text, score, coverage, resident_id ON turns
  FOR EACH ROW EXECUTE FUNCTION report_mark_updated();
CREATE TRIGGER events_report_updated AFTER UPDATE OF created_at, kind, flow_id ON events
  FOR EACH ROW EXECUTE FUNCTION report_mark_updated();
CREATE TRIGGER tickets_report_updated AFTER UPDATE OF created_at, resident_id ON tickets
  FOR EACH ROW EXECUTE FUNCTION report_mark_updated();

-- Everything already stored is computed by the first catch-up.
INSERT INTO report_dirty (resident_id, since) SELECT id, '-infinity' FROM residents;
