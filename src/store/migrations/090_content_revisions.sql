-- The live content (guides, centres.yaml, holidays.yaml, flows) as revisions, in the files' own
-- text formats. A path's latest revision is the published one; text NULL means deleted.
CREATE TABLE content_revisions (
  id         BIGSERIAL PRIMARY KEY,
  path       TEXT NOT NULL,
  text       TEXT,
  -- repository (imported from the files), editor, restore, teach, import (cli content import)
  source     TEXT NOT NULL CHECK (source IN ('repository', 'editor', 'restore', 'teach', 'import')),
  staff_id   BIGINT REFERENCES staff (id),
  author     TEXT NOT NULL,
  note       TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX content_revisions_path ON content_revisions (path, id DESC);

-- What was last imported from the repository per path, and a newer repository version that was
-- not imported because an editor had published a newer revision (shown in the console to review).
CREATE TABLE content_repository (
  path              TEXT PRIMARY KEY,
  hash              TEXT NOT NULL,
  revision_id       BIGINT REFERENCES content_revisions (id),
  imported_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  pending_hash      TEXT,
  pending_text      TEXT,
  pending_since     TIMESTAMPTZ
);

-- Editors' drafts: saved, never live by themselves.
CREATE TABLE content_drafts (
  staff_id      BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  path          TEXT NOT NULL,
  text          TEXT NOT NULL,
  base_revision BIGINT,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (staff_id, path)
);

-- Unanswered-question groups an editor handled: taught to a guide, or marked out of scope
-- (similar questions then get the honest fallback).
CREATE TABLE content_unanswered (
  id         BIGSERIAL PRIMARY KEY,
  question   TEXT NOT NULL,
  lang       TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('teach', 'dismiss')),
  guide_id   TEXT,
  revision_id BIGINT REFERENCES content_revisions (id),
  staff_id   BIGINT REFERENCES staff (id),
  author     TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  undone_at  TIMESTAMPTZ
);
CREATE INDEX content_unanswered_open ON content_unanswered (action) WHERE undone_at IS NULL;
