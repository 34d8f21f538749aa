-- A local copy of every licence, fed by events: what an expiry reminder needs. Keyed by licence number, so an imported
-- licence (a later event) is one more consumer writing the same row. application_id names whose contact is told.
CREATE TABLE notification_licences (
    licence_number VARCHAR(12) NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    holder_name VARCHAR(100) NOT NULL,
    valid_to DATE NOT NULL,
    revoked INT NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_notification_licences_expiry ON notification_licences (county_code, valid_to);

-- Reminders due on a day, one per licence, expiry date and lead time: claimed with a lease, marked done when the
-- message is queued, so a restart or a second replica never sends one twice.
CREATE TABLE notification_reminders (
    id UUID NOT NULL PRIMARY KEY,
    licence_number VARCHAR(12) NOT NULL,
    valid_to DATE NOT NULL,
    days_before INT NOT NULL,
    due_on DATE NOT NULL,
    status VARCHAR(20) NOT NULL,
    claimed_by VARCHAR(100) NULL,
    claimed_until TIMESTAMPTZ NULL,
    done_at TIMESTAMPTZ NULL,
    CONSTRAINT ux_notification_reminder UNIQUE (licence_number, valid_to, days_before)
);
CREATE INDEX ix_notification_reminders_due ON notification_reminders (status, due_on);

-- The county clerk's monthly notice of the licences expiring the next month: one per county and month.
CREATE TABLE clerk_notices (
    county_code VARCHAR(6) NOT NULL,
    month VARCHAR(7) NOT NULL,
    licence_count INT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (county_code, month)
);
