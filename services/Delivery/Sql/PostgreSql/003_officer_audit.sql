ALTER TABLE shipments ADD COLUMN handed_over_by VARCHAR(120) NULL;
CREATE INDEX ix_shipments_county ON shipments (county_code, status);

CREATE TABLE shipment_audit (
    id UUID NOT NULL PRIMARY KEY,
    shipment_id UUID NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    officer_subject VARCHAR(200) NOT NULL,
    officer_name VARCHAR(100) NOT NULL,
    officer_county VARCHAR(6) NOT NULL,
    action VARCHAR(40) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    detail VARCHAR(500) NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_shipment_audit_shipment ON shipment_audit (shipment_id, at);
