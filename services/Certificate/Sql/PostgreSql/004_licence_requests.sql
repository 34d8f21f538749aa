-- What each application asks of an existing licence (变更, 延续, 停业, ...), from ApplicationSubmitted: an approval of a
-- request that is not 新办 acts on that licence instead of issuing a new number.
CREATE TABLE licence_requests (
    application_id UUID NOT NULL PRIMARY KEY,
    application_number VARCHAR(40) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    request_type VARCHAR(20) NOT NULL,
    licence_number VARCHAR(12) NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    -- Set once the approval has acted on the licence, so a second approval message cannot act twice.
    applied_at TIMESTAMPTZ NULL
);
