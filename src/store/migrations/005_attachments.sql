-- Photos and documents residents send to staff: where to fetch them (not the bytes).
ALTER TABLE ticket_messages ADD COLUMN attachment JSONB;
