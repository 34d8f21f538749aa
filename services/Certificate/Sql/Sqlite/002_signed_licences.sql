-- Signed e-licences: identifier, the signing key, the compact token printed as QR; lifecycle state.
ALTER TABLE certificates ADD elicence_id TEXT NULL;
ALTER TABLE certificates ADD key_id TEXT NULL;
ALTER TABLE certificates ADD token TEXT NULL;
ALTER TABLE certificates ADD duplicate_count INT NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD revision INT NOT NULL DEFAULT 1;
ALTER TABLE certificates ADD status_reason TEXT NULL;
ALTER TABLE certificates ADD status_changed_at TEXT NULL;
CREATE INDEX ix_certificates_county_status ON certificates (county_code, status);
