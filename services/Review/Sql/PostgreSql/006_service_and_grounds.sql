-- Issue 15: when and how the decision was served (送达), which stops its service clock.
ALTER TABLE review_cases ADD COLUMN served_at TIMESTAMPTZ NULL;
ALTER TABLE review_cases ADD COLUMN served_method VARCHAR(20) NULL;
-- The legal grounds a refusal cites (JSON array of {Code, Text}).
ALTER TABLE review_cases ADD COLUMN decision_grounds VARCHAR(8000) NULL;
-- 变更: the day the change happened, and whether the request came more than 30 days after it.
ALTER TABLE review_cases ADD COLUMN changed_on DATE NULL;
ALTER TABLE review_cases ADD COLUMN filed_late INT NOT NULL DEFAULT 0;
-- The county's promised decision limit (承诺时限), beside the legal one.
ALTER TABLE review_cases ADD COLUMN promised_due_by DATE NULL;
