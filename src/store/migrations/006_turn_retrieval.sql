-- For the editors' "unanswered" report: the retrieval result of each free-text question.
ALTER TABLE turns ADD COLUMN best_guide TEXT;
ALTER TABLE turns ADD COLUMN score REAL;
ALTER TABLE turns ADD COLUMN coverage REAL;
CREATE INDEX turns_report_idx ON turns (created_at) WHERE direction = 'in';
