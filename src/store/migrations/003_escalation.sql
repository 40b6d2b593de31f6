-- Escalation to client service staff: accounts and sessions, tickets with their messages,
-- an audit log, and a transactional outbox for deliveries and notifications.
CREATE TABLE staff (
  id            BIGSERIAL PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('agent', 'editor', 'admin')),
  centres       TEXT[] NOT NULL DEFAULT '{}',
  slack_user_id TEXT UNIQUE,
  active        BOOLEAN NOT NULL DEFAULT true,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  token_hash TEXT PRIMARY KEY,
  staff_id   BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_failures (
  id         BIGSERIAL PRIMARY KEY,
  username   TEXT NOT NULL,
  at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_idx ON login_failures (username, at);

CREATE TABLE tickets (
  id                BIGSERIAL PRIMARY KEY,
  resident_id       BIGINT REFERENCES residents (id) ON DELETE SET NULL,
  channel           TEXT NOT NULL,
  centre_id         TEXT NOT NULL,
  parish            TEXT,
  lang              TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'assigned', 'closed')),
  assignee_id       BIGINT REFERENCES staff (id),
  contact           TEXT NOT NULL DEFAULT 'chat' CHECK (contact IN ('chat', 'phone')),
  phone             TEXT,
  question          TEXT NOT NULL,
  context           JSONB NOT NULL DEFAULT '{}',
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  claimed_at        TIMESTAMPTZ,
  first_response_at TIMESTAMPTZ,
  closed_at         TIMESTAMPTZ,
  close_reason      TEXT,
  rating            INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment    TEXT
);
CREATE INDEX tickets_queue_idx ON tickets (centre_id, status, created_at);
CREATE INDEX tickets_resident_idx ON tickets (resident_id, status);

CREATE TABLE ticket_messages (
  id         BIGSERIAL PRIMARY KEY,
  ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  author     TEXT NOT NULL CHECK (author IN ('resident', 'staff', 'note', 'bot', 'system')),
  staff_id   BIGINT REFERENCES staff (id),
  text       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ticket_messages_idx ON ticket_messages (ticket_id, id);

CREATE TABLE audit_log (
  id         BIGSERIAL PRIMARY KEY,
  staff_id   BIGINT REFERENCES staff (id),
  ticket_id  BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
  action     TEXT NOT NULL,
  detail     JSONB NOT NULL DEFAULT '{}',
  at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
  id              BIGSERIAL PRIMARY KEY,
  kind            TEXT NOT NULL,
  payload         JSONB NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  locked_until    TIMESTAMPTZ,
  last_error      TEXT,
  done_at         TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE done_at IS NULL;
