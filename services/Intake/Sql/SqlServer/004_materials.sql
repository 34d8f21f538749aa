CREATE TABLE application_materials (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    owner_subject NVARCHAR(200) NOT NULL,
    draft_id UNIQUEIDENTIFIER NULL,
    application_id UNIQUEIDENTIFIER NULL REFERENCES applications (id),
    kind NVARCHAR(30) NOT NULL,
    file_name NVARCHAR(200) NOT NULL,
    content_type NVARCHAR(50) NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 NVARCHAR(64) NOT NULL,
    content VARBINARY(MAX) NOT NULL,
    uploaded_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_application_materials_draft ON application_materials (draft_id);
CREATE INDEX ix_application_materials_application ON application_materials (application_id);
