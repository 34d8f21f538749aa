CREATE TABLE delivery_requests (
    application_id UUID NOT NULL PRIMARY KEY,
    application_number VARCHAR(40) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    method VARCHAR(10) NOT NULL,
    recipient_name VARCHAR(50) NOT NULL,
    recipient_phone VARCHAR(20) NOT NULL,
    address VARCHAR(200) NULL,
    submitted_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE shipments (
    id UUID NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL UNIQUE,
    application_number VARCHAR(40) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    certificate_id UUID NOT NULL,
    licence_number VARCHAR(12) NOT NULL,
    method VARCHAR(10) NOT NULL,
    status VARCHAR(30) NOT NULL,
    recipient_name VARCHAR(50) NOT NULL,
    recipient_phone VARCHAR(20) NOT NULL,
    address VARCHAR(200) NULL,
    pickup_code VARCHAR(6) NULL,
    service_due_by DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    trace_parent VARCHAR(100) NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NULL,
    last_error VARCHAR(1000) NULL,
    courier VARCHAR(50) NULL,
    waybill_number VARCHAR(40) NULL,
    dispatched_at TIMESTAMPTZ NULL,
    last_event_sequence INT NOT NULL DEFAULT 0,
    tracking_errors INT NOT NULL DEFAULT 0,
    next_poll_at TIMESTAMPTZ NULL,
    signed_by VARCHAR(50) NULL,
    delivered_at TIMESTAMPTZ NULL,
    failure_reason VARCHAR(500) NULL,
    failed_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_shipments_booking ON shipments (status, next_attempt_at);
CREATE INDEX ix_shipments_tracking ON shipments (status, next_poll_at);

CREATE TABLE shipment_events (
    shipment_id UUID NOT NULL REFERENCES shipments (id),
    sequence INT NOT NULL,
    status VARCHAR(30) NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    detail VARCHAR(500) NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
