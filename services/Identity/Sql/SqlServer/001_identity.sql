CREATE TABLE identity_applicants (
    phone_number NVARCHAR(20) NOT NULL PRIMARY KEY,
    subject NVARCHAR(40) NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE identity_officers (
    username NVARCHAR(50) NOT NULL PRIMARY KEY,
    subject NVARCHAR(40) NOT NULL UNIQUE,
    display_name NVARCHAR(50) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    roles NVARCHAR(100) NOT NULL,
    password_hash NVARCHAR(200) NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE identity_sms_codes (
    id NVARCHAR(32) NOT NULL PRIMARY KEY,
    phone_number NVARCHAR(20) NOT NULL,
    code_hash NVARCHAR(64) NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts INT NOT NULL,
    used_at BIGINT NULL
);

CREATE INDEX ix_identity_sms_codes_phone ON identity_sms_codes (phone_number, issued_at);

-- Authorization codes are self-contained (no token store in degraded mode); each is redeemed once, remembered by hash.
CREATE TABLE identity_redeemed_codes (
    code_hash NVARCHAR(64) NOT NULL PRIMARY KEY,
    redeemed_at BIGINT NOT NULL
);
