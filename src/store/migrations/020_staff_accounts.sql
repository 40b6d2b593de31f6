-- Accounts managed in the console: a password set by an admin must be changed at the next login;
-- when an account last changed and last logged in.
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE staff ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE staff ADD COLUMN last_login_at TIMESTAMPTZ;
CREATE INDEX audit_log_staff_idx ON audit_log (staff_id, at) WHERE ticket_id IS NULL;
