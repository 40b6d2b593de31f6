-- Indexes a year of a municipality's data needs (bench/year.ts, checked with EXPLAIN ANALYZE):
-- every foreign key that a resident's or a ticket's deletion follows (/forget, retention) gets an
-- index, otherwise each deleted resident or ticket scanned the whole table; the daily retention
-- job finds the transcript lines that aged out by time; the closed-tickets list reads the latest
-- hundred in order instead of sorting every closed ticket.
CREATE INDEX events_resident_idx ON events (resident_id);
CREATE INDEX audit_log_ticket_idx ON audit_log (ticket_id);
CREATE INDEX web_sessions_resident_idx ON web_sessions (resident_id);
CREATE INDEX turns_created_idx ON turns (created_at);
CREATE INDEX tickets_closed_idx ON tickets (closed_at DESC NULLS LAST, id DESC) WHERE status = 'closed';
