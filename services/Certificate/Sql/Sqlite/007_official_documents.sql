-- The formal documents of each case (补正材料告知书 … 送达回证), rendered once from the event that issued them: the PDF
-- as served, its SHA-256, the SM2 signature over the PDF and the signed token printed on it for the verification page.
-- A decision's service (送达) is recorded on its row: how, when, by whom, and the 送达回证 it produced.
CREATE TABLE official_documents (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    issued_at TEXT NOT NULL,
    addressee TEXT NOT NULL,
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    token TEXT NOT NULL,
    signature TEXT NOT NULL,
    -- For a 送达回证: the decision it records the service of.
    served_document TEXT NULL,
    service_method TEXT NULL,
    served_at TEXT NULL,
    served_by TEXT NULL,
    recipient TEXT NULL
);
CREATE INDEX ix_official_documents_application ON official_documents (application_id, issued_at);
-- From ApplicationSubmitted: whom the documents are addressed to, whether they may be served electronically, and how
-- the licence is to reach the applicant (a pickup at the hall is 直接送达 of the approval).
ALTER TABLE licence_requests ADD business_name TEXT NULL;
ALTER TABLE licence_requests ADD premises_address TEXT NULL;
ALTER TABLE licence_requests ADD electronic_service INTEGER NOT NULL DEFAULT 0;
ALTER TABLE licence_requests ADD delivery_method TEXT NULL;
