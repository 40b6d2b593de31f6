-- Transcript lines say what they are in a column instead of an emoji prefix in the text, and
-- keep what is needed to show them again: the buttons of a bot message (in order) and who of
-- the staff wrote a message. Kinds: in — text, edited, button (text = its label), command,
-- media (text = the kind of media), contact (a phone number, never stored); out — bot, staff.
ALTER TABLE turns ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE turns ADD COLUMN buttons JSONB;
ALTER TABLE turns ADD COLUMN author JSONB;
UPDATE turns SET kind = 'bot' WHERE direction = 'out';
UPDATE turns SET kind = 'button', text = regexp_replace(text, '^🔘\s*', '') WHERE direction = 'in' AND text LIKE '🔘%';
UPDATE turns SET kind = 'edited', text = regexp_replace(text, '^✏️\s*', '') WHERE direction = 'in' AND text LIKE '✏️%';
UPDATE turns SET kind = 'contact', text = '' WHERE direction = 'in' AND text LIKE '📞%';
UPDATE turns SET kind = 'command' WHERE direction = 'in' AND kind = 'text' AND text ~ '^/[A-Za-z_]+';
UPDATE turns SET kind = 'media', text = substring(text from '^\[([a-z]+)\]$') WHERE direction = 'in' AND kind = 'text' AND text ~ '^\[[a-z]+\]$';
