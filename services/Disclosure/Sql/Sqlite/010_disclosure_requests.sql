-- 依申请公开: requests for government information, their steps (the audit trail) and appeals against them.
-- Requester details live here only; nothing of them is ever disclosed.
CREATE TABLE disclosure_requests (
    id TEXT NOT NULL PRIMARY KEY,
    request_number TEXT NOT NULL UNIQUE,
    client_request_id TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    query_code TEXT NOT NULL,
    county_code TEXT NOT NULL,
    category TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    id_number TEXT NULL,
    credit_code TEXT NULL,
    contact_name TEXT NULL,
    phone TEXT NOT NULL,
    email TEXT NULL,
    address TEXT NULL,
    description TEXT NOT NULL,
    preferred_form TEXT NOT NULL,
    delivery_method TEXT NOT NULL,
    state TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    clock_started_on TEXT NOT NULL,
    due_on TEXT NULL,
    due_provisional INT NOT NULL,
    remaining_working_days INT NULL,
    extended INT NOT NULL,
    extension_approved_by TEXT NULL,
    correction_notice_due_on TEXT NOT NULL,
    correction_notice TEXT NULL,
    correction_requested_on TEXT NULL,
    correction_due_on TEXT NULL,
    corrected_on TEXT NULL,
    third_party TEXT NULL,
    consultation_started_on TEXT NULL,
    consultation_due_on TEXT NULL,
    outcome TEXT NULL,
    outcome_reason TEXT NULL,
    answered_on TEXT NULL,
    answered_at TEXT NULL,
    answered_late INT NOT NULL,
    version INT NOT NULL
);
CREATE INDEX ix_disclosure_requests_queue ON disclosure_requests (county_code, state, due_on);
CREATE INDEX ix_disclosure_requests_filed ON disclosure_requests (county_code, filed_on);
CREATE INDEX ix_disclosure_requests_answered ON disclosure_requests (county_code, answered_on);

CREATE TABLE disclosure_request_steps (
    id TEXT NOT NULL PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES disclosure_requests (id),
    step_number INT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_disclosure_request_steps_request ON disclosure_request_steps (request_id, step_number);

CREATE TABLE disclosure_request_appeals (
    id TEXT NOT NULL PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES disclosure_requests (id),
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    result TEXT NOT NULL,
    concluded_on TEXT NULL,
    note TEXT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ix_disclosure_request_appeals_filed ON disclosure_request_appeals (county_code, filed_on);
