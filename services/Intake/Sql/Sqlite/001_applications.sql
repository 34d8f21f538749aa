CREATE TABLE applications (
    id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL UNIQUE,
    client_request_id TEXT NOT NULL UNIQUE,
    county_code TEXT NOT NULL,
    request_type TEXT NOT NULL,
    holder_type TEXT NOT NULL,
    business_name TEXT NOT NULL,
    credit_code TEXT NULL,
    responsible_person TEXT NOT NULL,
    id_number TEXT NOT NULL,
    premises_address TEXT NOT NULL,
    floor_area NUMERIC NOT NULL,
    premises_tenure TEXT NOT NULL,
    lease_end_date TEXT NULL,
    contact_phone TEXT NOT NULL,
    delivery_method TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_phone TEXT NOT NULL,
    delivery_address TEXT NULL,
    status TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    decision_due_by TEXT NULL,
    licence_number TEXT NULL,
    waybill_number TEXT NULL
);
CREATE INDEX ix_applications_county ON applications (county_code, submitted_at);

CREATE TABLE application_history (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NULL
);
CREATE INDEX ix_application_history ON application_history (application_id, at);
