CREATE TABLE delivery_requests (
    application_id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    method NVARCHAR(10) NOT NULL,
    recipient_name NVARCHAR(50) NOT NULL,
    recipient_phone NVARCHAR(20) NOT NULL,
    address NVARCHAR(200) NULL,
    submitted_at DATETIMEOFFSET NOT NULL
);

CREATE TABLE shipments (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_id UNIQUEIDENTIFIER NOT NULL UNIQUE,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    certificate_id UNIQUEIDENTIFIER NOT NULL,
    licence_number NVARCHAR(12) NOT NULL,
    method NVARCHAR(10) NOT NULL,
    status NVARCHAR(30) NOT NULL,
    recipient_name NVARCHAR(50) NOT NULL,
    recipient_phone NVARCHAR(20) NOT NULL,
    address NVARCHAR(200) NULL,
    pickup_code NVARCHAR(6) NULL,
    service_due_by DATE NOT NULL,
    created_at DATETIMEOFFSET NOT NULL,
    trace_parent NVARCHAR(100) NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at DATETIMEOFFSET NULL,
    last_error NVARCHAR(1000) NULL,
    courier NVARCHAR(50) NULL,
    waybill_number NVARCHAR(40) NULL,
    dispatched_at DATETIMEOFFSET NULL,
    last_event_sequence INT NOT NULL DEFAULT 0,
    tracking_errors INT NOT NULL DEFAULT 0,
    next_poll_at DATETIMEOFFSET NULL,
    signed_by NVARCHAR(50) NULL,
    delivered_at DATETIMEOFFSET NULL,
    failure_reason NVARCHAR(500) NULL,
    failed_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_shipments_booking ON shipments (status, next_attempt_at);
CREATE INDEX ix_shipments_tracking ON shipments (status, next_poll_at);

CREATE TABLE shipment_events (
    shipment_id UNIQUEIDENTIFIER NOT NULL REFERENCES shipments (id),
    sequence INT NOT NULL,
    status NVARCHAR(30) NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
    detail NVARCHAR(500) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
