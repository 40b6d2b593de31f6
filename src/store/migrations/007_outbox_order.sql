-- Outbox: delivery in order per key (a resident, a ticket's Slack thread), progress of jobs with
-- several messages (each sent once), dead letters (refused for good), and the resident a row is
-- about (so that /forget removes it with everything else).
ALTER TABLE outbox ADD COLUMN order_key TEXT;
ALTER TABLE outbox ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN resident_id BIGINT REFERENCES residents (id) ON DELETE CASCADE;
UPDATE outbox o SET resident_id = t.resident_id FROM tickets t WHERE t.id = (o.payload->>'ticketId')::bigint;
UPDATE outbox SET order_key = CASE
  WHEN kind LIKE 'slack.%' THEN 'slack:' || (payload->>'ticketId')
  WHEN resident_id IS NOT NULL THEN 'resident:' || resident_id
  ELSE 'row:' || id END;
DROP INDEX outbox_due_idx;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_key_idx ON outbox (order_key, id) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_resident_idx ON outbox (resident_id);
