-- 依申请公开: requests for government information, their steps (the audit trail) and appeals against them.
-- Requester details live here only; nothing of them is ever disclosed.
CREATE TABLE disclosure_requests (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    request_number NVARCHAR(40) NOT NULL UNIQUE,
    client_request_id NVARCHAR(64) NOT NULL UNIQUE,
    fingerprint NVARCHAR(64) NOT NULL,
    query_code NVARCHAR(16) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    category NVARCHAR(40) NOT NULL,
    requester_name NVARCHAR(200) NOT NULL,
    id_number NVARCHAR(18) NULL,
    credit_code NVARCHAR(18) NULL,
    contact_name NVARCHAR(100) NULL,
    phone NVARCHAR(30) NOT NULL,
    email NVARCHAR(200) NULL,
    address NVARCHAR(300) NULL,
    description NVARCHAR(4000) NOT NULL,
    preferred_form NVARCHAR(20) NOT NULL,
    delivery_method NVARCHAR(20) NOT NULL,
    state NVARCHAR(30) NOT NULL,
    filed_at DATETIMEOFFSET NOT NULL,
    filed_on DATE NOT NULL,
    clock_started_on DATE NOT NULL,
    due_on DATE NULL,
    due_provisional INT NOT NULL,
    remaining_working_days INT NULL,
    extended INT NOT NULL,
    extension_approved_by NVARCHAR(100) NULL,
    correction_notice_due_on DATE NOT NULL,
    correction_notice NVARCHAR(2000) NULL,
    correction_requested_on DATE NULL,
    correction_due_on DATE NULL,
    corrected_on DATE NULL,
    third_party NVARCHAR(200) NULL,
    consultation_started_on DATE NULL,
    consultation_due_on DATE NULL,
    outcome NVARCHAR(40) NULL,
    outcome_reason NVARCHAR(2000) NULL,
    answered_on DATE NULL,
    answered_at DATETIMEOFFSET NULL,
    answered_late INT NOT NULL,
    version INT NOT NULL
);
CREATE INDEX ix_disclosure_requests_queue ON disclosure_requests (county_code, state, due_on);
CREATE INDEX ix_disclosure_requests_filed ON disclosure_requests (county_code, filed_on);
CREATE INDEX ix_disclosure_requests_answered ON disclosure_requests (county_code, answered_on);

CREATE TABLE disclosure_request_steps (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    request_id UNIQUEIDENTIFIER NOT NULL REFERENCES disclosure_requests (id),
    step_number INT NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
    actor_id NVARCHAR(64) NOT NULL,
    actor_name NVARCHAR(100) NOT NULL,
    action NVARCHAR(40) NOT NULL,
    detail NVARCHAR(4000) NOT NULL
);
CREATE UNIQUE INDEX ix_disclosure_request_steps_request ON disclosure_request_steps (request_id, step_number);

CREATE TABLE disclosure_request_appeals (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    request_id UNIQUEIDENTIFIER NOT NULL REFERENCES disclosure_requests (id),
    county_code NVARCHAR(6) NOT NULL,
    kind NVARCHAR(40) NOT NULL,
    filed_on DATE NOT NULL,
    result NVARCHAR(20) NOT NULL,
    concluded_on DATE NULL,
    note NVARCHAR(2000) NULL,
    recorded_by NVARCHAR(64) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_disclosure_request_appeals_filed ON disclosure_request_appeals (county_code, filed_on);
