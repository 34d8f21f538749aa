-- Issue 14: the work step of an open case (CaseStep), kept by every step that changes it, so queues filter in SQL.
ALTER TABLE review_cases ADD COLUMN step TEXT NULL;
ALTER TABLE review_cases ADD COLUMN claimed_by_name TEXT NULL;
ALTER TABLE review_cases ADD COLUMN extension_requested_by TEXT NULL;
ALTER TABLE review_cases ADD COLUMN extension_requested_by_name TEXT NULL;
ALTER TABLE review_cases ADD COLUMN extension_requested_at TEXT NULL;
ALTER TABLE review_cases ADD COLUMN extension_request_reason TEXT NULL;
ALTER TABLE review_cases ADD COLUMN decision_override TEXT NULL;
ALTER TABLE review_cases ADD COLUMN grid_cell TEXT NULL;
UPDATE review_cases SET step = CASE
    WHEN stage = 'AwaitingAcceptance' THEN 'Acceptance'
    WHEN stage = 'AwaitingCorrection' THEN 'Correction'
    WHEN stage = 'UnderReview' AND inspection_document IS NULL
         AND request_type NOT IN ('Change', 'Renewal', 'Suspend', 'Resume', 'Close', 'Reissue', 'Cancel') THEN 'Inspection'
    WHEN stage = 'UnderReview' AND opinion_document IS NULL THEN 'Opinion'
    WHEN stage = 'UnderReview' THEN 'Approval'
    ELSE NULL END;
CREATE INDEX ix_review_cases_step ON review_cases (county_code, step, clock_paused, due_by);
CREATE INDEX ix_review_cases_grid ON review_cases (county_code, grid_cell);

-- Who the inspectors and the reviewer were, in words, and where the premises were located (WGS-84 degrees).
ALTER TABLE review_inspections ADD COLUMN first_inspector_name TEXT NULL;
ALTER TABLE review_inspections ADD COLUMN second_inspector_name TEXT NULL;
ALTER TABLE review_inspections ADD COLUMN latitude REAL NULL;
ALTER TABLE review_inspections ADD COLUMN longitude REAL NULL;
ALTER TABLE review_opinions ADD COLUMN reviewer_name TEXT NULL;

-- 补正 notices: who asked when, and when the applicant answered.
CREATE TABLE review_correction_notices (
    document_number TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_by_name TEXT NOT NULL,
    resubmitted_at TEXT NULL
);
CREATE INDEX ix_review_correction_notices_case ON review_correction_notices (case_id);

-- 合理布局 checks recorded on a case (with the inspection, again at approval); result is the full check as JSON.
CREATE TABLE review_layout_checks (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    passes INT NOT NULL,
    grid_cell TEXT NOT NULL,
    quota_period TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX ix_review_layout_checks_case ON review_layout_checks (case_id, checked_at);

-- The county's licensed outlets, a local copy fed by Certificate's events (issued in, revoked/closed/cancelled out).
CREATE TABLE review_outlets (
    licence_number TEXT NOT NULL PRIMARY KEY,
    county_code TEXT NOT NULL,
    name TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    application_id TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
CREATE INDEX ix_review_outlets_place ON review_outlets (county_code, latitude, longitude);

-- 差评 from Intake's ServiceRated, waiting for the bureau's follow-up.
CREATE TABLE review_poor_ratings (
    application_id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    level INT NOT NULL,
    comment TEXT NULL,
    rated_at TEXT NOT NULL,
    followed_up_at TEXT NULL
);
CREATE INDEX ix_review_poor_ratings_county ON review_poor_ratings (county_code, followed_up_at);
