ALTER TABLE review_cases ADD COLUMN clock_phase TEXT NULL;
ALTER TABLE review_cases ADD COLUMN clock_started_on TEXT NULL;
ALTER TABLE review_cases ADD COLUMN clock_paused INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN clock_remaining_days INT NULL;
ALTER TABLE review_cases ADD COLUMN decision_extended INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN deemed_accepted INT NOT NULL DEFAULT 0;
ALTER TABLE review_cases ADD COLUMN correction_document TEXT NULL;
ALTER TABLE review_cases ADD COLUMN extension_document TEXT NULL;
ALTER TABLE review_cases ADD COLUMN decision_reasons TEXT NULL;
ALTER TABLE review_cases ADD COLUMN claimed_by TEXT NULL;
ALTER TABLE review_cases ADD COLUMN claim_expires_at TEXT NULL;

-- One row per running legal deadline of a case; the durable timer polls the open ones.
CREATE TABLE review_deadlines (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_by TEXT NOT NULL,
    due_provisional INT NOT NULL,
    warn_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    warned_at TEXT NULL,
    breached_at TEXT NULL,
    closed_at TEXT NULL
);
CREATE INDEX ix_review_deadlines_open ON review_deadlines (closed_at, due_by);
CREATE INDEX ix_review_deadlines_case ON review_deadlines (case_id);

-- 补正 notices: one row per item of a notice.
CREATE TABLE review_correction_items (
    document_number TEXT NOT NULL,
    position INT NOT NULL,
    case_id TEXT NOT NULL,
    material TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (document_number, position)
);

-- Append-only: who did what, when, from where, on which case; refused attempts included.
CREATE TABLE review_audit (
    id TEXT NOT NULL PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    officer_role TEXT NOT NULL,
    officer_county TEXT NOT NULL,
    case_id TEXT NULL,
    case_county TEXT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    peer_address TEXT NOT NULL
);
CREATE INDEX ix_review_audit_case ON review_audit (case_id, occurred_at);

UPDATE review_cases SET clock_phase = 'Acceptance' WHERE stage = 'AwaitingAcceptance';
UPDATE review_cases SET clock_phase = 'Decision' WHERE stage = 'UnderReview';
UPDATE review_cases SET clock_phase = 'Service' WHERE stage = 'Approved';

ALTER TABLE review_cases ADD COLUMN inspection_document TEXT NULL;
ALTER TABLE review_cases ADD COLUMN opinion_document TEXT NULL;
ALTER TABLE review_cases ADD COLUMN recommendation TEXT NULL;

-- 实地核查记录: one row per visit; distances and photo references as JSON arrays.
CREATE TABLE review_inspections (
    document_number TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL,
    inspected_on TEXT NOT NULL,
    first_inspector TEXT NOT NULL,
    second_inspector TEXT NOT NULL,
    findings TEXT NOT NULL,
    measured_floor_area REAL NOT NULL,
    distances TEXT NOT NULL,
    photo_references TEXT NOT NULL,
    premises_compliant INT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- 审核意见.
CREATE TABLE review_opinions (
    document_number TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    opinion TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
