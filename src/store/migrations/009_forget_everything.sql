-- /forget and retention remove a resident with everything about them in one statement: tickets
-- (and through them their messages, audit entries and Slack threads) now go with the resident.
-- Counted events keep their row without the resident (they hold no text).
ALTER TABLE tickets DROP CONSTRAINT tickets_resident_id_fkey;
ALTER TABLE tickets ADD CONSTRAINT tickets_resident_id_fkey FOREIGN KEY (resident_id) REFERENCES residents (id) ON DELETE CASCADE;
CREATE INDEX sessions_updated_idx ON sessions (updated_at);
CREATE INDEX web_sessions_seen_idx ON web_sessions (last_seen_at);
