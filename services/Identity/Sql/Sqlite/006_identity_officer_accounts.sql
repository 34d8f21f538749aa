-- Officer accounts administered by the bureau's 系统管理员: a deactivated account (deactivated_at set) cannot sign in;
-- a temporary password (new account, reset) must be changed at the next sign-in.
ALTER TABLE identity_officers ADD COLUMN deactivated_at BIGINT NULL;
ALTER TABLE identity_officers ADD COLUMN password_change_required INT NOT NULL DEFAULT 0;
CREATE INDEX ix_identity_officers_county ON identity_officers (county_code);
-- Deactivating an officer or resetting a password ends that officer's open sessions.
CREATE INDEX ix_identity_sessions_subject ON identity_sessions (subject);
