-- What each application asks of an existing licence (变更, 延续, 停业, ...), from ApplicationSubmitted: an approval of a
-- request that is not 新办 acts on that licence instead of issuing a new number.
CREATE TABLE licence_requests (
    application_id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    request_type TEXT NOT NULL,
    licence_number TEXT NULL,
    submitted_at TEXT NOT NULL,
    -- Set once the approval has acted on the licence, so a second approval message cannot act twice.
    applied_at TEXT NULL
);
