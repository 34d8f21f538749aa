ALTER TABLE shipments ADD COLUMN service_due_provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN late_flagged_at TEXT NULL;
ALTER TABLE shipments ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE shipments ADD COLUMN collected_by_officer TEXT NULL;
CREATE INDEX ix_shipments_waybill ON shipments (waybill_number);

CREATE TABLE courier_events (
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    sequence INTEGER NOT NULL,
    status TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    detail TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
