CREATE TABLE officer_audit (
    id UUID NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    officer_id VARCHAR(64) NOT NULL,
    officer_name VARCHAR(100) NOT NULL,
    officer_role VARCHAR(30) NOT NULL,
    officer_county VARCHAR(20) NOT NULL,
    subject_id VARCHAR(64) NOT NULL,
    subject_county VARCHAR(20) NULL,
    action VARCHAR(50) NOT NULL,
    outcome VARCHAR(10) NOT NULL,
    detail VARCHAR(4000) NOT NULL,
    peer_address VARCHAR(200) NOT NULL
);
CREATE INDEX ix_officer_audit_subject ON officer_audit (subject_id, occurred_at);
CREATE INDEX ix_officer_audit_officer ON officer_audit (officer_id, action, occurred_at);
