-- The data-protection key ring every replica of the service shares (sign-in cookies, antiforgery tokens).
CREATE TABLE data_protection_keys (
    friendly_name TEXT NOT NULL PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL
);
