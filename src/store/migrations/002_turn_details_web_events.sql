-- Richer turns (language, step), counted events (feedback, finished flows), web chat sessions and
-- the messages waiting for web chat residents (delivered over server-sent events).
ALTER TABLE turns ADD COLUMN lang TEXT;
ALTER TABLE turns ADD COLUMN step_id TEXT;

CREATE TABLE events (
  id          BIGSERIAL PRIMARY KEY,
  resident_id BIGINT REFERENCES residents (id) ON DELETE SET NULL,
  kind        TEXT NOT NULL,
  flow_id     TEXT,
  step_id     TEXT,
  guide_id    TEXT,
  lang        TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_kind_idx ON events (kind, created_at);

CREATE TABLE web_sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL,
  resident_id  BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE web_events (
  id          BIGSERIAL PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  payload     JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX web_events_resident_idx ON web_events (resident_id, id);
