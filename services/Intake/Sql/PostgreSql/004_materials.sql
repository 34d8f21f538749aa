CREATE TABLE application_materials (
    id UUID NOT NULL PRIMARY KEY,
    owner_subject VARCHAR(200) NOT NULL,
    draft_id UUID NULL,
    application_id UUID NULL REFERENCES applications (id),
    kind VARCHAR(30) NOT NULL,
    file_name VARCHAR(200) NOT NULL,
    content_type VARCHAR(50) NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    content BYTEA NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_application_materials_draft ON application_materials (draft_id);
CREATE INDEX ix_application_materials_application ON application_materials (application_id);
