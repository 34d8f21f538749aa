-- The sign-in records are deleted once their retention period has passed (IdentityRetention), a batch at a time, oldest
-- first: by index, so pruning a year of records does not read every row.
CREATE INDEX ix_identity_sign_in_attempts_attempted ON identity_sign_in_attempts (attempted_at);
CREATE INDEX ix_identity_sessions_expires ON identity_sessions (expires_at);
