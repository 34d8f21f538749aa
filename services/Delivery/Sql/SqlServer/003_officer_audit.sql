ALTER TABLE shipments ADD handed_over_by NVARCHAR(120) NULL;
CREATE INDEX ix_shipments_county ON shipments (county_code, status);

CREATE TABLE shipment_audit (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    shipment_id UNIQUEIDENTIFIER NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    officer_subject NVARCHAR(200) NOT NULL,
    officer_name NVARCHAR(100) NOT NULL,
    officer_county NVARCHAR(6) NOT NULL,
    action NVARCHAR(40) NOT NULL,
    outcome NVARCHAR(20) NOT NULL,
    detail NVARCHAR(500) NOT NULL,
    at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_shipment_audit_shipment ON shipment_audit (shipment_id, at);
