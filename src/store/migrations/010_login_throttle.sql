-- Staff login limits per username and client address (and per address over all usernames).
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
DROP INDEX login_failures_idx;
CREATE INDEX login_failures_idx ON login_failures (address, at);
CREATE INDEX login_failures_user_idx ON login_failures (username);
