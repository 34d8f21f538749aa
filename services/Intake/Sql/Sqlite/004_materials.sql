CREATE TABLE application_materials (
    id TEXT NOT NULL PRIMARY KEY,
    owner_subject TEXT NOT NULL,
    draft_id TEXT NULL,
    application_id TEXT NULL REFERENCES applications (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX ix_application_materials_draft ON application_materials (draft_id);
CREATE INDEX ix_application_materials_application ON application_materials (application_id);
