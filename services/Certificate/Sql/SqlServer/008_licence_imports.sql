-- Licences imported from a county's previous system (许可证登记簿导入): source 导入 and the import they came in; the
-- digest of the holder's 身份证号 (the number itself is not kept, see Identifiers.HolderIdDigest), so a request on an
-- imported licence matches its holder; the 供货单位 and the outlet's coordinates as the register gave them. One row
-- per import, keyed by the file's SHA-256 per county.
ALTER TABLE certificates ADD source NVARCHAR(20) NULL;
ALTER TABLE certificates ADD import_id UNIQUEIDENTIFIER NULL;
ALTER TABLE certificates ADD holder_id_digest NVARCHAR(64) NULL;
ALTER TABLE certificates ADD supplier NVARCHAR(100) NULL;
ALTER TABLE certificates ADD longitude FLOAT NULL;
ALTER TABLE certificates ADD latitude FLOAT NULL;
CREATE UNIQUE INDEX ux_certificates_licence_number_current ON certificates (licence_number);
CREATE TABLE licence_imports (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    county_code NVARCHAR(6) NOT NULL,
    file_name NVARCHAR(200) NOT NULL,
    file_sha256 NVARCHAR(64) NOT NULL,
    row_count INT NOT NULL,
    imported_count INT NOT NULL,
    officer_id NVARCHAR(100) NOT NULL,
    imported_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_licence_imports_county ON licence_imports (county_code, imported_at);
