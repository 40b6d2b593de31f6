-- Web chat voice messages a member of staff needs to hear: kept only with the ticket they were
-- sent to (Telegram keeps its own files; only their ids are stored). Deleted with the ticket
-- (retention of closed tickets), with the resident (/forget), and a week after the ticket closed.
CREATE TABLE voice_clips (
  id            TEXT PRIMARY KEY,
  resident_id   BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  ticket_id     BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  content_type  TEXT NOT NULL,
  bytes         BYTEA NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX voice_clips_ticket ON voice_clips (ticket_id);
CREATE INDEX voice_clips_resident ON voice_clips (resident_id);
