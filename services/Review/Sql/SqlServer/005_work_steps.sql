-- Issue 14: the work step of an open case (CaseStep), kept by every step that changes it, so queues filter in SQL.
ALTER TABLE review_cases ADD step NVARCHAR(20) NULL;
ALTER TABLE review_cases ADD claimed_by_name NVARCHAR(100) NULL;
ALTER TABLE review_cases ADD extension_requested_by NVARCHAR(64) NULL;
ALTER TABLE review_cases ADD extension_requested_by_name NVARCHAR(100) NULL;
ALTER TABLE review_cases ADD extension_requested_at DATETIMEOFFSET NULL;
ALTER TABLE review_cases ADD extension_request_reason NVARCHAR(1000) NULL;
ALTER TABLE review_cases ADD decision_override NVARCHAR(4000) NULL;
ALTER TABLE review_cases ADD grid_cell NVARCHAR(40) NULL;
-- Columns added in this batch are compiled only when the statement runs.
EXEC sp_executesql N'UPDATE review_cases SET step = CASE
    WHEN stage = ''AwaitingAcceptance'' THEN ''Acceptance''
    WHEN stage = ''AwaitingCorrection'' THEN ''Correction''
    WHEN stage = ''UnderReview'' AND inspection_document IS NULL
         AND request_type NOT IN (''Change'', ''Renewal'', ''Suspend'', ''Resume'', ''Close'', ''Reissue'', ''Cancel'') THEN ''Inspection''
    WHEN stage = ''UnderReview'' AND opinion_document IS NULL THEN ''Opinion''
    WHEN stage = ''UnderReview'' THEN ''Approval''
    ELSE NULL END';
CREATE INDEX ix_review_cases_step ON review_cases (county_code, step, clock_paused, due_by);
CREATE INDEX ix_review_cases_grid ON review_cases (county_code, grid_cell);

-- Who the inspectors and the reviewer were, in words, and where the premises were located (WGS-84 degrees).
ALTER TABLE review_inspections ADD first_inspector_name NVARCHAR(100) NULL;
ALTER TABLE review_inspections ADD second_inspector_name NVARCHAR(100) NULL;
ALTER TABLE review_inspections ADD latitude FLOAT NULL;
ALTER TABLE review_inspections ADD longitude FLOAT NULL;
ALTER TABLE review_opinions ADD reviewer_name NVARCHAR(100) NULL;

-- 补正 notices: who asked when, and when the applicant answered.
CREATE TABLE review_correction_notices (
    document_number NVARCHAR(60) NOT NULL PRIMARY KEY,
    case_id UNIQUEIDENTIFIER NOT NULL,
    requested_at DATETIMEOFFSET NOT NULL,
    requested_by NVARCHAR(64) NOT NULL,
    requested_by_name NVARCHAR(100) NOT NULL,
    resubmitted_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_review_correction_notices_case ON review_correction_notices (case_id);

-- 合理布局 checks recorded on a case (with the inspection, again at approval); result is the full check as JSON.
CREATE TABLE review_layout_checks (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    case_id UNIQUEIDENTIFIER NOT NULL,
    checked_at DATETIMEOFFSET NOT NULL,
    latitude FLOAT NOT NULL,
    longitude FLOAT NOT NULL,
    passes INT NOT NULL,
    grid_cell NVARCHAR(40) NOT NULL,
    quota_period NVARCHAR(10) NOT NULL,
    result NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_review_layout_checks_case ON review_layout_checks (case_id, checked_at);

-- The county's licensed outlets, a local copy fed by Certificate's events (issued in, revoked/closed/cancelled out).
CREATE TABLE review_outlets (
    licence_number NVARCHAR(12) NOT NULL PRIMARY KEY,
    county_code NVARCHAR(6) NOT NULL,
    name NVARCHAR(100) NOT NULL,
    latitude FLOAT NOT NULL,
    longitude FLOAT NOT NULL,
    application_id UNIQUEIDENTIFIER NOT NULL,
    issued_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_review_outlets_place ON review_outlets (county_code, latitude, longitude);

-- 差评 from Intake's ServiceRated, waiting for the bureau's follow-up.
CREATE TABLE review_poor_ratings (
    application_id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    level INT NOT NULL,
    comment NVARCHAR(2000) NULL,
    rated_at DATETIMEOFFSET NOT NULL,
    followed_up_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_review_poor_ratings_county ON review_poor_ratings (county_code, followed_up_at);
