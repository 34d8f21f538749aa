-- The formal documents of each case (补正材料告知书 … 送达回证), rendered once from the event that issued them: the PDF
-- as served, its SHA-256, the SM2 signature over the PDF and the signed token printed on it for the verification page.
-- A decision's service (送达) is recorded on its row: how, when, by whom, and the 送达回证 it produced.
CREATE TABLE official_documents (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_id UNIQUEIDENTIFIER NOT NULL,
    case_id UNIQUEIDENTIFIER NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    kind NVARCHAR(20) NOT NULL,
    number NVARCHAR(60) NOT NULL UNIQUE,
    issued_at DATETIMEOFFSET NOT NULL,
    addressee NVARCHAR(100) NOT NULL,
    pdf VARBINARY(MAX) NOT NULL,
    sha256 NVARCHAR(64) NOT NULL,
    key_id NVARCHAR(60) NOT NULL,
    token NVARCHAR(2000) NOT NULL,
    signature NVARCHAR(200) NOT NULL,
    -- For a 送达回证: the decision it records the service of.
    served_document NVARCHAR(60) NULL,
    service_method NVARCHAR(20) NULL,
    served_at DATETIMEOFFSET NULL,
    served_by NVARCHAR(100) NULL,
    recipient NVARCHAR(100) NULL
);
CREATE INDEX ix_official_documents_application ON official_documents (application_id, issued_at);
-- From ApplicationSubmitted: whom the documents are addressed to, whether they may be served electronically, and how
-- the licence is to reach the applicant (a pickup at the hall is 直接送达 of the approval).
ALTER TABLE licence_requests ADD business_name NVARCHAR(100) NULL;
ALTER TABLE licence_requests ADD premises_address NVARCHAR(200) NULL;
ALTER TABLE licence_requests ADD electronic_service BIT NOT NULL DEFAULT 0;
ALTER TABLE licence_requests ADD delivery_method NVARCHAR(20) NULL;
