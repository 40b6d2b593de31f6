-- Which Slack message announced which ticket (its thread carries the conversation).
CREATE TABLE slack_threads (
  ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  UNIQUE (channel, ts)
);
