CREATE TABLE applications (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_number NVARCHAR(40) NOT NULL UNIQUE,
    client_request_id NVARCHAR(64) NOT NULL UNIQUE,
    county_code NVARCHAR(6) NOT NULL,
    request_type NVARCHAR(20) NOT NULL,
    holder_type NVARCHAR(30) NOT NULL,
    business_name NVARCHAR(100) NOT NULL,
    credit_code NVARCHAR(18) NULL,
    responsible_person NVARCHAR(50) NOT NULL,
    id_number NVARCHAR(18) NOT NULL,
    premises_address NVARCHAR(200) NOT NULL,
    floor_area DECIMAL(12, 2) NOT NULL,
    premises_tenure NVARCHAR(10) NOT NULL,
    lease_end_date DATE NULL,
    contact_phone NVARCHAR(20) NOT NULL,
    delivery_method NVARCHAR(10) NOT NULL,
    recipient_name NVARCHAR(50) NOT NULL,
    recipient_phone NVARCHAR(20) NOT NULL,
    delivery_address NVARCHAR(200) NULL,
    status NVARCHAR(30) NOT NULL,
    submitted_at DATETIMEOFFSET NOT NULL,
    decision_due_by DATE NULL,
    licence_number NVARCHAR(12) NULL,
    waybill_number NVARCHAR(40) NULL
);
CREATE INDEX ix_applications_county ON applications (county_code, submitted_at);

CREATE TABLE application_history (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_id UNIQUEIDENTIFIER NOT NULL REFERENCES applications (id),
    status NVARCHAR(30) NOT NULL,
    at DATETIMEOFFSET NOT NULL,
    note NVARCHAR(500) NULL
);
CREATE INDEX ix_application_history ON application_history (application_id, at);
