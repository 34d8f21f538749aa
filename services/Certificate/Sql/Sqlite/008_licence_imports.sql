-- Licences imported from a county's previous system (许可证登记簿导入): source 导入 and the import they came in; the
-- digest of the holder's 身份证号 (the number itself is not kept, see Identifiers.HolderIdDigest), so a request on an
-- imported licence matches its holder; the 供货单位 and the outlet's coordinates as the register gave them. One row
-- per import, keyed by the file's SHA-256 per county.
ALTER TABLE certificates ADD source TEXT NULL;
ALTER TABLE certificates ADD import_id TEXT NULL;
ALTER TABLE certificates ADD holder_id_digest TEXT NULL;
ALTER TABLE certificates ADD supplier TEXT NULL;
ALTER TABLE certificates ADD longitude REAL NULL;
ALTER TABLE certificates ADD latitude REAL NULL;
CREATE UNIQUE INDEX ux_certificates_licence_number_current ON certificates (licence_number);
CREATE TABLE licence_imports (
    id TEXT NOT NULL PRIMARY KEY,
    county_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    imported_count INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX ix_licence_imports_county ON licence_imports (county_code, imported_at);
