-- Staff presence (issue 11): when a member of staff was last connected to the console or acted in
-- the console or Slack. Residents are told whether someone of their centre is online now.
ALTER TABLE staff ADD COLUMN last_seen_at TIMESTAMPTZ;
