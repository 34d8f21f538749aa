-- The data-protection key ring every replica of the service shares (sign-in cookies, antiforgery tokens).
CREATE TABLE data_protection_keys (
    friendly_name VARCHAR(200) NOT NULL PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
