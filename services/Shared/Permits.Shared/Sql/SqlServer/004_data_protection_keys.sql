-- The data-protection key ring every replica of the service shares (sign-in cookies, antiforgery tokens).
CREATE TABLE data_protection_keys (
    friendly_name NVARCHAR(200) NOT NULL PRIMARY KEY,
    xml NVARCHAR(MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL
);
