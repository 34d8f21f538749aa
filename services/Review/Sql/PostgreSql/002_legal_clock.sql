ALTER TABLE review_cases ADD COLUMN clock_phase VARCHAR(20) NULL;
ALTER TABLE review_cases ADD COLUMN clock_started_on DATE NULL;
ALTER TABLE review_cases ADD COLUMN clock_paused INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN clock_remaining_days INT NULL;
ALTER TABLE review_cases ADD COLUMN decision_extended INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN deemed_accepted INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN correction_document VARCHAR(60) NULL;
ALTER TABLE review_cases ADD COLUMN extension_document VARCHAR(60) NULL;
ALTER TABLE review_cases ADD COLUMN decision_reasons VARCHAR(4000) NULL;
ALTER TABLE review_cases ADD COLUMN claimed_by VARCHAR(64) NULL;
ALTER TABLE review_cases ADD COLUMN claim_expires_at TIMESTAMPTZ NULL;

-- One row per running legal deadline of a case; the durable timer polls the open ones.
CREATE TABLE review_deadlines (
    id UUID NOT NULL PRIMARY KEY,
    case_id UUID NOT NULL,
    county_code VARCHAR(20) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    due_by DATE NOT NULL,
    due_provisional INT NOT NULL,
    warn_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    warned_at TIMESTAMPTZ NULL,
    breached_at TIMESTAMPTZ NULL,
    closed_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_review_deadlines_open ON review_deadlines (closed_at, due_by);
CREATE INDEX ix_review_deadlines_case ON review_deadlines (case_id);

-- 补正 notices: one row per item of a notice.
CREATE TABLE review_correction_items (
    document_number VARCHAR(60) NOT NULL,
    position INT NOT NULL,
    case_id UUID NOT NULL,
    material VARCHAR(200) NOT NULL,
    reason VARCHAR(4000) NOT NULL,
    PRIMARY KEY (document_number, position)
);

-- Append-only: who did what, when, from where, on which case; refused attempts included.
CREATE TABLE review_audit (
    id UUID NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    officer_id VARCHAR(64) NOT NULL,
    officer_role VARCHAR(20) NOT NULL,
    officer_county VARCHAR(20) NOT NULL,
    case_id UUID NULL,
    case_county VARCHAR(20) NULL,
    action VARCHAR(60) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    detail VARCHAR(4000) NOT NULL,
    peer_address VARCHAR(200) NOT NULL
);
CREATE INDEX ix_review_audit_case ON review_audit (case_id, occurred_at);

UPDATE review_cases SET clock_phase = 'Acceptance' WHERE stage = 'AwaitingAcceptance';
UPDATE review_cases SET clock_phase = 'Decision' WHERE stage = 'UnderReview';
UPDATE review_cases SET clock_phase = 'Service' WHERE stage = 'Approved';

ALTER TABLE review_cases ADD COLUMN inspection_document VARCHAR(60) NULL;
ALTER TABLE review_cases ADD COLUMN opinion_document VARCHAR(60) NULL;
ALTER TABLE review_cases ADD COLUMN recommendation VARCHAR(20) NULL;

-- 实地核查记录: one row per visit; distances and photo references as JSON arrays.
CREATE TABLE review_inspections (
    document_number VARCHAR(60) NOT NULL PRIMARY KEY,
    case_id UUID NOT NULL,
    inspected_on DATE NOT NULL,
    first_inspector VARCHAR(64) NOT NULL,
    second_inspector VARCHAR(64) NOT NULL,
    findings VARCHAR(4000) NOT NULL,
    measured_floor_area NUMERIC(12, 2) NOT NULL,
    distances VARCHAR(4000) NOT NULL,
    photo_references VARCHAR(4000) NOT NULL,
    premises_compliant INT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- 审核意见.
CREATE TABLE review_opinions (
    document_number VARCHAR(60) NOT NULL PRIMARY KEY,
    case_id UUID NOT NULL,
    reviewer VARCHAR(64) NOT NULL,
    recommendation VARCHAR(20) NOT NULL,
    opinion VARCHAR(4000) NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
