-- Issue 19: every approval reads the case's latest inspection (the decision gate) and every issued licence joins it
-- (the outlet register); the case file reads the opinions and correction items the same way. Without these each of
-- those reads scanned the whole table, longer with every licence.
CREATE INDEX ix_review_inspections_case ON review_inspections (case_id, recorded_at);
CREATE INDEX ix_review_opinions_case ON review_opinions (case_id, recorded_at);
CREATE INDEX ix_review_correction_items_case ON review_correction_items (case_id);
