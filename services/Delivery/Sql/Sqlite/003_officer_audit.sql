ALTER TABLE shipments ADD COLUMN handed_over_by TEXT NULL;
CREATE INDEX ix_shipments_county ON shipments (county_code, status);

CREATE TABLE shipment_audit (
    id TEXT NOT NULL PRIMARY KEY,
    shipment_id TEXT NOT NULL,
    county_code TEXT NOT NULL,
    officer_subject TEXT NOT NULL,
    officer_name TEXT NOT NULL,
    officer_county TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ix_shipment_audit_shipment ON shipment_audit (shipment_id, at);
