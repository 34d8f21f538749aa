-- Every step in a licence's life, one row per revision of its certificates row (issue is revision 1).
CREATE TABLE certificate_events (
    certificate_id UNIQUEIDENTIFIER NOT NULL,
    revision INT NOT NULL,
    licence_number NVARCHAR(12) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    kind NVARCHAR(20) NOT NULL,
    version INT NOT NULL,
    duplicate_count INT NOT NULL,
    elicence_id NVARCHAR(80) NULL,
    key_id NVARCHAR(60) NULL,
    status NVARCHAR(20) NOT NULL,
    holder_name NVARCHAR(100) NOT NULL,
    valid_to DATE NOT NULL,
    reason NVARCHAR(200) NULL,
    officer_id NVARCHAR(100) NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
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
