CREATE TABLE applications (
    id UUID NOT NULL PRIMARY KEY,
    application_number VARCHAR(40) NOT NULL UNIQUE,
    client_request_id VARCHAR(64) NOT NULL UNIQUE,
    county_code VARCHAR(6) NOT NULL,
    request_type VARCHAR(20) NOT NULL,
    holder_type VARCHAR(30) NOT NULL,
    business_name VARCHAR(100) NOT NULL,
    credit_code VARCHAR(18) NULL,
    responsible_person VARCHAR(50) NOT NULL,
    id_number VARCHAR(18) NOT NULL,
    premises_address VARCHAR(200) NOT NULL,
    floor_area NUMERIC(12, 2) NOT NULL,
    premises_tenure VARCHAR(10) NOT NULL,
    lease_end_date DATE NULL,
    contact_phone VARCHAR(20) NOT NULL,
    delivery_method VARCHAR(10) NOT NULL,
    recipient_name VARCHAR(50) NOT NULL,
    recipient_phone VARCHAR(20) NOT NULL,
    delivery_address VARCHAR(200) NULL,
    status VARCHAR(30) NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    decision_due_by DATE NULL,
    licence_number VARCHAR(12) NULL,
    waybill_number VARCHAR(40) NULL
);
CREATE INDEX ix_applications_county ON applications (county_code, submitted_at);

CREATE TABLE application_history (
    id UUID NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL REFERENCES applications (id),
    status VARCHAR(30) NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    note VARCHAR(500) NULL
);
CREATE INDEX ix_application_history ON application_history (application_id, at);
