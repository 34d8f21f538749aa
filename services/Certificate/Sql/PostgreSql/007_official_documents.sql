-- The formal documents of each case (补正材料告知书 … 送达回证), rendered once from the event that issued them: the PDF
-- as served, its SHA-256, the SM2 signature over the PDF and the signed token printed on it for the verification page.
-- A decision's service (送达) is recorded on its row: how, when, by whom, and the 送达回证 it produced.
CREATE TABLE official_documents (
    id UUID NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL,
    case_id UUID NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    number VARCHAR(60) NOT NULL UNIQUE,
    issued_at TIMESTAMPTZ NOT NULL,
    addressee VARCHAR(100) NOT NULL,
    pdf BYTEA NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    key_id VARCHAR(60) NOT NULL,
    token VARCHAR(2000) NOT NULL,
    signature VARCHAR(200) NOT NULL,
    -- For a 送达回证: the decision it records the service of.
    served_document VARCHAR(60) NULL,
    service_method VARCHAR(20) NULL,
    served_at TIMESTAMPTZ NULL,
    served_by VARCHAR(100) NULL,
    recipient VARCHAR(100) NULL
);
CREATE INDEX ix_official_documents_application ON official_documents (application_id, issued_at);
-- From ApplicationSubmitted: whom the documents are addressed to, whether they may be served electronically, and how
-- the licence is to reach the applicant (a pickup at the hall is 直接送达 of the approval).
ALTER TABLE licence_requests ADD business_name VARCHAR(100) NULL;
ALTER TABLE licence_requests ADD premises_address VARCHAR(200) NULL;
ALTER TABLE licence_requests ADD electronic_service BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE licence_requests ADD delivery_method VARCHAR(20) NULL;
