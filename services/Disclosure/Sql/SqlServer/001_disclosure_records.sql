CREATE TABLE disclosure_records (
    position BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    record_id UNIQUEIDENTIFIER NOT NULL UNIQUE,
    kind NVARCHAR(40) NOT NULL,
    application_id UNIQUEIDENTIFIER NOT NULL,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    authority NVARCHAR(100) NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL,
    summary NVARCHAR(500) NOT NULL,
    public_fields NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_disclosure_records_county ON disclosure_records (county_code, position);
CREATE INDEX ix_disclosure_records_application ON disclosure_records (application_number, position);
