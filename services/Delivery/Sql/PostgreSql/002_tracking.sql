ALTER TABLE shipments ADD COLUMN service_due_provisional INT NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN late_flagged_at TIMESTAMPTZ NULL;
ALTER TABLE shipments ADD COLUMN delivery_attempts INT NOT NULL DEFAULT 1;
ALTER TABLE shipments ADD COLUMN collected_by_officer VARCHAR(50) NULL;
CREATE INDEX ix_shipments_waybill ON shipments (waybill_number);

CREATE TABLE courier_events (
    shipment_id UUID NOT NULL REFERENCES shipments (id),
    sequence INT NOT NULL,
    status VARCHAR(30) NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    detail VARCHAR(500) NOT NULL,
    signed_by VARCHAR(50) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
