CREATE TABLE disclosure_records (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    application_id TEXT NOT NULL,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    authority TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    summary TEXT NOT NULL,
    public_fields TEXT NOT NULL
);
CREATE INDEX ix_disclosure_records_county ON disclosure_records (county_code, position);
CREATE INDEX ix_disclosure_records_application ON disclosure_records (application_number, position);
