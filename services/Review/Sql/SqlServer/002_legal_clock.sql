ALTER TABLE review_cases ADD clock_phase NVARCHAR(20) NULL;
ALTER TABLE review_cases ADD clock_started_on DATE NULL;
ALTER TABLE review_cases ADD clock_paused INT NOT NULL CONSTRAINT df_review_cases_clock_paused DEFAULT 0;
ALTER TABLE review_cases ADD clock_remaining_days INT NULL;
ALTER TABLE review_cases ADD decision_extended INT NOT NULL CONSTRAINT df_review_cases_decision_extended DEFAULT 0;
ALTER TABLE review_cases ADD deemed_accepted INT NOT NULL CONSTRAINT df_review_cases_deemed_accepted DEFAULT 0;
ALTER TABLE review_cases ADD correction_document NVARCHAR(60) NULL;
ALTER TABLE review_cases ADD extension_document NVARCHAR(60) NULL;
ALTER TABLE review_cases ADD decision_reasons NVARCHAR(4000) NULL;
ALTER TABLE review_cases ADD claimed_by NVARCHAR(64) NULL;
ALTER TABLE review_cases ADD claim_expires_at DATETIMEOFFSET NULL;

-- One row per running legal deadline of a case; the durable timer polls the open ones.
CREATE TABLE review_deadlines (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    case_id UNIQUEIDENTIFIER NOT NULL,
    county_code NVARCHAR(20) NOT NULL,
    kind NVARCHAR(20) NOT NULL,
    due_by DATE NOT NULL,
    due_provisional INT NOT NULL,
    warn_on DATE NOT NULL,
    created_at DATETIMEOFFSET NOT NULL,
    warned_at DATETIMEOFFSET NULL,
    breached_at DATETIMEOFFSET NULL,
    closed_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_review_deadlines_open ON review_deadlines (closed_at, due_by);
CREATE INDEX ix_review_deadlines_case ON review_deadlines (case_id);

-- 补正 notices: one row per item of a notice.
CREATE TABLE review_correction_items (
    document_number NVARCHAR(60) NOT NULL,
    position INT NOT NULL,
    case_id UNIQUEIDENTIFIER NOT NULL,
    material NVARCHAR(200) NOT NULL,
    reason NVARCHAR(4000) NOT NULL,
    PRIMARY KEY (document_number, position)
);

-- Append-only: who did what, when, from where, on which case; refused attempts included.
CREATE TABLE review_audit (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    occurred_at DATETIMEOFFSET NOT NULL,
    officer_id NVARCHAR(64) NOT NULL,
    officer_role NVARCHAR(20) NOT NULL,
    officer_county NVARCHAR(20) NOT NULL,
    case_id UNIQUEIDENTIFIER NULL,
    case_county NVARCHAR(20) NULL,
    action NVARCHAR(60) NOT NULL,
    outcome NVARCHAR(20) NOT NULL,
    detail NVARCHAR(4000) NOT NULL,
    peer_address NVARCHAR(200) NOT NULL
);
CREATE INDEX ix_review_audit_case ON review_audit (case_id, occurred_at);

UPDATE review_cases SET clock_phase = 'Acceptance' WHERE stage = 'AwaitingAcceptance';
UPDATE review_cases SET clock_phase = 'Decision' WHERE stage = 'UnderReview';
UPDATE review_cases SET clock_phase = 'Service' WHERE stage = 'Approved';

ALTER TABLE review_cases ADD inspection_document NVARCHAR(60) NULL;
ALTER TABLE review_cases ADD opinion_document NVARCHAR(60) NULL;
ALTER TABLE review_cases ADD recommendation NVARCHAR(20) NULL;

-- 实地核查记录: one row per visit; distances and photo references as JSON arrays.
CREATE TABLE review_inspections (
    document_number NVARCHAR(60) NOT NULL PRIMARY KEY,
    case_id UNIQUEIDENTIFIER NOT NULL,
    inspected_on DATE NOT NULL,
    first_inspector NVARCHAR(64) NOT NULL,
    second_inspector NVARCHAR(64) NOT NULL,
    findings NVARCHAR(4000) NOT NULL,
    measured_floor_area DECIMAL(12, 2) NOT NULL,
    distances NVARCHAR(4000) NOT NULL,
    photo_references NVARCHAR(4000) NOT NULL,
    premises_compliant INT NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL
);

-- 审核意见.
CREATE TABLE review_opinions (
    document_number NVARCHAR(60) NOT NULL PRIMARY KEY,
    case_id UNIQUEIDENTIFIER NOT NULL,
    reviewer NVARCHAR(64) NOT NULL,
    recommendation NVARCHAR(20) NOT NULL,
    opinion NVARCHAR(4000) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL
);
