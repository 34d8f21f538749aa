-- Every step in a licence's life, one row per revision of its certificates row (issue is revision 1).
CREATE TABLE certificate_events (
    certificate_id TEXT NOT NULL,
    revision INT NOT NULL,
    licence_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    version INT NOT NULL,
    duplicate_count INT NOT NULL,
    elicence_id TEXT NULL,
    key_id TEXT NULL,
    status TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    reason TEXT NULL,
    officer_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    PRIMARY KEY (certificate_id, revision)
);
-- Licences issued before history began: their state then, as one row.
INSERT INTO certificate_events (
    certificate_id, revision, licence_number, county_code, kind, version, duplicate_count, elicence_id, key_id, status,
    holder_name, valid_to, reason, officer_id, occurred_at)
SELECT id, revision, licence_number, county_code, CASE WHEN revision = 1 THEN 'Issued' ELSE 'Recorded' END, version,
    duplicate_count, elicence_id, key_id, status, holder_name, valid_to, status_reason, '', COALESCE(status_changed_at, issued_at)
FROM certificates;
CREATE INDEX ix_certificates_county_application ON certificates (county_code, application_number);
