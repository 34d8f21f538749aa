CREATE TABLE identity_applicants (
    phone_number VARCHAR(20) NOT NULL PRIMARY KEY,
    subject VARCHAR(40) NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE identity_officers (
    username VARCHAR(50) NOT NULL PRIMARY KEY,
    subject VARCHAR(40) NOT NULL UNIQUE,
    display_name VARCHAR(50) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    roles VARCHAR(100) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE identity_sms_codes (
    id VARCHAR(32) NOT NULL PRIMARY KEY,
    phone_number VARCHAR(20) NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts INT NOT NULL,
    used_at BIGINT NULL
);

CREATE INDEX ix_identity_sms_codes_phone ON identity_sms_codes (phone_number, issued_at);

-- Authorization codes are self-contained (no token store in degraded mode); each is redeemed once, remembered by hash.
CREATE TABLE identity_redeemed_codes (
    code_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    redeemed_at BIGINT NOT NULL
);
