-- Residents, their conversation state, a masked transcript and processed channel updates.
CREATE TABLE residents (
  id          BIGSERIAL PRIMARY KEY,
  channel     TEXT NOT NULL,
  chat_id     TEXT NOT NULL,
  lang        TEXT NOT NULL DEFAULT 'lv' CHECK (lang IN ('lv', 'ru', 'en')),
  consent_at  TIMESTAMPTZ,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (channel, chat_id)
);

CREATE TABLE sessions (
  resident_id BIGINT PRIMARY KEY REFERENCES residents (id) ON DELETE CASCADE,
  state       JSONB NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE turns (
  id          BIGSERIAL PRIMARY KEY,
  resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  text        TEXT NOT NULL,
  intent      TEXT,
  guide_id    TEXT,
  flow_id     TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX turns_resident_idx ON turns (resident_id, id);

CREATE TABLE processed_updates (
  channel      TEXT NOT NULL,
  update_id    TEXT NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, update_id)
);
