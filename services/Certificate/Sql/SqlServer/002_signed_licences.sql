-- Signed e-licences: identifier, the signing key, the compact token printed as QR; lifecycle state.
ALTER TABLE certificates ADD elicence_id NVARCHAR(80) NULL;
ALTER TABLE certificates ADD key_id NVARCHAR(60) NULL;
ALTER TABLE certificates ADD token NVARCHAR(2000) NULL;
ALTER TABLE certificates ADD duplicate_count INT NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD revision INT NOT NULL DEFAULT 1;
ALTER TABLE certificates ADD status_reason NVARCHAR(200) NULL;
ALTER TABLE certificates ADD status_changed_at DATETIMEOFFSET NULL;
CREATE INDEX ix_certificates_county_status ON certificates (county_code, status);
