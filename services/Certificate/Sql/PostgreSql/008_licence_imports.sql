-- Licences imported from a county's previous system (许可证登记簿导入): source 导入 and the import they came in; the
-- digest of the holder's 身份证号 (the number itself is not kept, see Identifiers.HolderIdDigest), so a request on an
-- imported licence matches its holder; the 供货单位 and the outlet's coordinates as the register gave them. One row
-- per import, keyed by the file's SHA-256 per county.
ALTER TABLE certificates ADD source VARCHAR(20) NULL;
ALTER TABLE certificates ADD import_id UUID NULL;
ALTER TABLE certificates ADD holder_id_digest VARCHAR(64) NULL;
ALTER TABLE certificates ADD supplier VARCHAR(100) NULL;
ALTER TABLE certificates ADD longitude DOUBLE PRECISION NULL;
ALTER TABLE certificates ADD latitude DOUBLE PRECISION NULL;
CREATE UNIQUE INDEX ux_certificates_licence_number_current ON certificates (licence_number);
CREATE TABLE licence_imports (
    id UUID NOT NULL PRIMARY KEY,
    county_code VARCHAR(6) NOT NULL,
    file_name VARCHAR(200) NOT NULL,
    file_sha256 VARCHAR(64) NOT NULL,
    row_count INT NOT NULL,
    imported_count INT NOT NULL,
    officer_id VARCHAR(100) NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_licence_imports_county ON licence_imports (county_code, imported_at);
