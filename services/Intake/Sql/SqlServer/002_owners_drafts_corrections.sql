ALTER TABLE applications ADD owner_subject NVARCHAR(200) NULL;
ALTER TABLE applications ADD form_json NVARCHAR(MAX) NULL;
CREATE INDEX ix_applications_owner ON applications (owner_subject, submitted_at);

CREATE TABLE application_drafts (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    owner_subject NVARCHAR(200) NOT NULL,
    form_json NVARCHAR(MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL,
    updated_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_application_drafts_owner ON application_drafts (owner_subject, updated_at);

CREATE TABLE application_corrections (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_id UNIQUEIDENTIFIER NOT NULL REFERENCES applications (id),
    document_number NVARCHAR(60) NOT NULL,
    position INT NOT NULL,
    material NVARCHAR(200) NOT NULL,
    reason NVARCHAR(1000) NOT NULL,
    requested_at DATETIMEOFFSET NOT NULL,
    resolved_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_application_corrections ON application_corrections (application_id, resolved_at);
