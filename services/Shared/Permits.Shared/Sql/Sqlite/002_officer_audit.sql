CREATE TABLE officer_audit (
    id TEXT NOT NULL PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    officer_name TEXT NOT NULL,
    officer_role TEXT NOT NULL,
    officer_county TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_county TEXT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    peer_address TEXT NOT NULL
);
CREATE INDEX ix_officer_audit_subject ON officer_audit (subject_id, occurred_at);
CREATE INDEX ix_officer_audit_officer ON officer_audit (officer_id, action, occurred_at);
