CREATE TABLE delivery_requests (
    application_id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    method TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_phone TEXT NOT NULL,
    address TEXT NULL,
    submitted_at TEXT NOT NULL
);

CREATE TABLE shipments (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    certificate_id TEXT NOT NULL,
    licence_number TEXT NOT NULL,
    method TEXT NOT NULL,
    status TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_phone TEXT NOT NULL,
    address TEXT NULL,
    pickup_code TEXT NULL,
    service_due_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    trace_parent TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NULL,
    last_error TEXT NULL,
    courier TEXT NULL,
    waybill_number TEXT NULL,
    dispatched_at TEXT NULL,
    last_event_sequence INTEGER NOT NULL DEFAULT 0,
    tracking_errors INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT NULL,
    signed_by TEXT NULL,
    delivered_at TEXT NULL,
    failure_reason TEXT NULL,
    failed_at TEXT NULL
);
CREATE INDEX ix_shipments_booking ON shipments (status, next_attempt_at);
CREATE INDEX ix_shipments_tracking ON shipments (status, next_poll_at);

CREATE TABLE shipment_events (
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    sequence INTEGER NOT NULL,
    status TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    detail TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
