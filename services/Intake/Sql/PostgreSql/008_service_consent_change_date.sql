-- Issue 15: the applicant's consent to electronic service (电子送达) given at submission, and for a 变更 the day the
-- change took effect (a request filed more than 30 days after it is marked late by Review).
ALTER TABLE applications ADD COLUMN electronic_service_consent INT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN changed_on DATE NULL;
-- The county's promised decision day (承诺时限) from Review's ApplicationAccepted, shown beside the legal one.
ALTER TABLE applications ADD COLUMN promised_decision_due_by DATE NULL;
