CREATE TABLE disclosure_records (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id UUID NOT NULL UNIQUE,
    kind VARCHAR(40) NOT NULL,
    application_id UUID NOT NULL,
    application_number VARCHAR(40) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    authority VARCHAR(100) NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    summary VARCHAR(500) NOT NULL,
    public_fields TEXT NOT NULL
);
CREATE INDEX ix_disclosure_records_county ON disclosure_records (county_code, position);
CREATE INDEX ix_disclosure_records_application ON disclosure_records (application_number, position);
