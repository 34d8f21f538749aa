CREATE TABLE officer_audit (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    occurred_at DATETIMEOFFSET NOT NULL,
    officer_id NVARCHAR(64) NOT NULL,
    officer_name NVARCHAR(100) NOT NULL,
    officer_role NVARCHAR(30) NOT NULL,
    officer_county NVARCHAR(20) NOT NULL,
    subject_id NVARCHAR(64) NOT NULL,
    subject_county NVARCHAR(20) NULL,
    action NVARCHAR(50) NOT NULL,
    outcome NVARCHAR(10) NOT NULL,
    detail NVARCHAR(4000) NOT NULL,
    peer_address NVARCHAR(200) NOT NULL
);
CREATE INDEX ix_officer_audit_subject ON officer_audit (subject_id, occurred_at);
CREATE INDEX ix_officer_audit_officer ON officer_audit (officer_id, action, occurred_at);
