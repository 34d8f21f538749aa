-- Rows that serialise the checks of a limit shared by all replicas: 'sms' (every code sent), 'officer:<username>'
-- (sign-in attempts on one account, whether or not it exists). A check first updates its row, so concurrent requests
-- take turns reading and applying the limit.
CREATE TABLE identity_limit_locks (
    lock_key VARCHAR(120) NOT NULL PRIMARY KEY,
    touched_at BIGINT NOT NULL
);

-- Every officer sign-in attempt (password page and password grant): who, when, from where, and the outcome
-- (succeeded, failed, locked, throttled). The lock-out counts failures here; the audit reads it.
CREATE TABLE identity_sign_in_attempts (
    id VARCHAR(32) NOT NULL PRIMARY KEY,
    username VARCHAR(100) NOT NULL,
    client_address VARCHAR(64) NOT NULL,
    attempted_at BIGINT NOT NULL,
    outcome VARCHAR(20) NOT NULL
);

CREATE INDEX ix_identity_sign_in_attempts_username ON identity_sign_in_attempts (username, attempted_at);
CREATE INDEX ix_identity_sign_in_attempts_client ON identity_sign_in_attempts (client_address, attempted_at);

-- Sign-in sessions (Identity's own cookie, and the Portal sessions opened from it, which carry its id as sid).
-- Signing out sets revoked_at; every replica of Identity and of the Portal checks it, so a copied cookie is dead.
CREATE TABLE identity_sessions (
    session_id VARCHAR(32) NOT NULL PRIMARY KEY,
    subject VARCHAR(40) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT NULL
);

-- Which client address asked for each code, for the limits per client (indexed in 004: SQL Server compiles a
-- script as one batch, and an index needs its column to exist already).
ALTER TABLE identity_sms_codes ADD COLUMN client_address VARCHAR(64) NULL;
