-- Issue 15: when and how the decision was served (送达), which stops its service clock.
ALTER TABLE review_cases ADD served_at DATETIMEOFFSET NULL;
ALTER TABLE review_cases ADD served_method NVARCHAR(20) NULL;
-- The legal grounds a refusal cites (JSON array of {Code, Text}).
ALTER TABLE review_cases ADD decision_grounds NVARCHAR(MAX) NULL;
-- 变更: the day the change happened, and whether the request came more than 30 days after it.
ALTER TABLE review_cases ADD changed_on DATE NULL;
ALTER TABLE review_cases ADD filed_late INT NOT NULL CONSTRAINT df_review_cases_filed_late DEFAULT 0;
-- The county's promised decision limit (承诺时限), beside the legal one.
ALTER TABLE review_cases ADD promised_due_by DATE NULL;
