ALTER TABLE shipments ADD service_due_provisional INT NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD late_flagged_at DATETIMEOFFSET NULL;
ALTER TABLE shipments ADD delivery_attempts INT NOT NULL DEFAULT 1;
ALTER TABLE shipments ADD collected_by_officer NVARCHAR(50) NULL;
CREATE INDEX ix_shipments_waybill ON shipments (waybill_number);

CREATE TABLE courier_events (
    shipment_id UNIQUEIDENTIFIER NOT NULL REFERENCES shipments (id),
    sequence INT NOT NULL,
    status NVARCHAR(30) NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
    detail NVARCHAR(500) NOT NULL,
    signed_by NVARCHAR(50) NOT NULL,
    received_at DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (shipment_id, sequence)
);
