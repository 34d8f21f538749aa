ALTER TABLE applications ADD owner_subject TEXT NULL;
ALTER TABLE applications ADD form_json TEXT NULL;
CREATE INDEX ix_applications_owner ON applications (owner_subject, submitted_at);

CREATE TABLE application_drafts (
    id TEXT NOT NULL PRIMARY KEY,
    owner_subject TEXT NOT NULL,
    form_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_application_drafts_owner ON application_drafts (owner_subject, updated_at);

CREATE TABLE application_corrections (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    document_number TEXT NOT NULL,
    position INTEGER NOT NULL,
    material TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    resolved_at TEXT NULL
);
CREATE INDEX ix_application_corrections ON application_corrections (application_id, resolved_at);
