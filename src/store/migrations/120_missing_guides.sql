-- "Vajag jaunu instrukciju": unanswered-question groups an editor put on the to-do list of missing
-- guides, with the group's example questions (masked like every stored copy: personal codes,
-- IBANs, cards, phone numbers and e-mail addresses). An item is open until an editor marks it done
-- with the guide that now covers it; a removed item is deleted (the audit log keeps the record).
CREATE TABLE content_missing_guides (
  id            BIGSERIAL PRIMARY KEY,
  question      TEXT NOT NULL,
  lang          TEXT NOT NULL,
  examples      JSONB NOT NULL DEFAULT '[]',
  asked         INTEGER NOT NULL DEFAULT 0,
  staff_id      BIGINT REFERENCES staff (id),
  author        TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  done_at       TIMESTAMPTZ,
  done_guide_id TEXT,
  done_staff_id BIGINT REFERENCES staff (id),
  done_by       TEXT
);
CREATE INDEX content_missing_guides_open ON content_missing_guides (id DESC) WHERE done_at IS NULL;
