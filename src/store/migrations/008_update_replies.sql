-- A processed update remembers whose it was (so /forget removes it) and, for the web chat, the
-- replies it got: a message sent again with the same client message id gets the same replies.
ALTER TABLE processed_updates ADD COLUMN resident_id BIGINT REFERENCES residents (id) ON DELETE CASCADE;
ALTER TABLE processed_updates ADD COLUMN replies JSONB;
CREATE INDEX processed_updates_resident_idx ON processed_updates (resident_id);
