ALTER TABLE applications ADD owner_subject VARCHAR(200) NULL;
ALTER TABLE applications ADD form_json TEXT NULL;
CREATE INDEX ix_applications_owner ON applications (owner_subject, submitted_at);

CREATE TABLE application_drafts (
    id UUID NOT NULL PRIMARY KEY,
    owner_subject VARCHAR(200) NOT NULL,
    form_json TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_application_drafts_owner ON application_drafts (owner_subject, updated_at);

CREATE TABLE application_corrections (
    id UUID NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL REFERENCES applications (id),
    document_number VARCHAR(60) NOT NULL,
    position INT NOT NULL,
    material VARCHAR(200) NOT NULL,
    reason VARCHAR(1000) NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_application_corrections ON application_corrections (application_id, resolved_at);
