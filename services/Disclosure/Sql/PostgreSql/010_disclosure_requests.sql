-- 依申请公开: requests for government information, their steps (the audit trail) and appeals against them.
-- Requester details live here only; nothing of them is ever disclosed.
CREATE TABLE disclosure_requests (
    id UUID NOT NULL PRIMARY KEY,
    request_number VARCHAR(40) NOT NULL UNIQUE,
    client_request_id VARCHAR(64) NOT NULL UNIQUE,
    fingerprint VARCHAR(64) NOT NULL,
    query_code VARCHAR(16) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    category VARCHAR(40) NOT NULL,
    requester_name VARCHAR(200) NOT NULL,
    id_number VARCHAR(18) NULL,
    credit_code VARCHAR(18) NULL,
    contact_name VARCHAR(100) NULL,
    phone VARCHAR(30) NOT NULL,
    email VARCHAR(200) NULL,
    address VARCHAR(300) NULL,
    description VARCHAR(4000) NOT NULL,
    preferred_form VARCHAR(20) NOT NULL,
    delivery_method VARCHAR(20) NOT NULL,
    state VARCHAR(30) NOT NULL,
    filed_at TIMESTAMPTZ NOT NULL,
    filed_on DATE NOT NULL,
    clock_started_on DATE NOT NULL,
    due_on DATE NULL,
    due_provisional INT NOT NULL,
    remaining_working_days INT NULL,
    extended INT NOT NULL,
    extension_approved_by VARCHAR(100) NULL,
    correction_notice_due_on DATE NOT NULL,
    correction_notice VARCHAR(2000) NULL,
    correction_requested_on DATE NULL,
    correction_due_on DATE NULL,
    corrected_on DATE NULL,
    third_party VARCHAR(200) NULL,
    consultation_started_on DATE NULL,
    consultation_due_on DATE NULL,
    outcome VARCHAR(40) NULL,
    outcome_reason VARCHAR(2000) NULL,
    answered_on DATE NULL,
    answered_at TIMESTAMPTZ NULL,
    answered_late INT NOT NULL,
    version INT NOT NULL
);
CREATE INDEX ix_disclosure_requests_queue ON disclosure_requests (county_code, state, due_on);
CREATE INDEX ix_disclosure_requests_filed ON disclosure_requests (county_code, filed_on);
CREATE INDEX ix_disclosure_requests_answered ON disclosure_requests (county_code, answered_on);

CREATE TABLE disclosure_request_steps (
    id UUID NOT NULL PRIMARY KEY,
    request_id UUID NOT NULL REFERENCES disclosure_requests (id),
    step_number INT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_id VARCHAR(64) NOT NULL,
    actor_name VARCHAR(100) NOT NULL,
    action VARCHAR(40) NOT NULL,
    detail VARCHAR(4000) NOT NULL
);
CREATE UNIQUE INDEX ix_disclosure_request_steps_request ON disclosure_request_steps (request_id, step_number);

CREATE TABLE disclosure_request_appeals (
    id UUID NOT NULL PRIMARY KEY,
    request_id UUID NOT NULL REFERENCES disclosure_requests (id),
    county_code VARCHAR(6) NOT NULL,
    kind VARCHAR(40) NOT NULL,
    filed_on DATE NOT NULL,
    result VARCHAR(20) NOT NULL,
    concluded_on DATE NULL,
    note VARCHAR(2000) NULL,
    recorded_by VARCHAR(64) NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_disclosure_request_appeals_filed ON disclosure_request_appeals (county_code, filed_on);
