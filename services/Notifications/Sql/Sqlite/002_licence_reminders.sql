-- A local copy of every licence, fed by events: what an expiry reminder needs. Keyed by licence number, so an imported
-- licence (a later event) is one more consumer writing the same row. application_id names whose contact is told.
CREATE TABLE notification_licences (
    licence_number TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL,
    county_code TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_notification_licences_expiry ON notification_licences (county_code, valid_to);

-- Reminders due on a day, one per licence, expiry date and lead time: claimed with a lease, marked done when the
-- message is queued, so a restart or a second replica never sends one twice.
CREATE TABLE notification_reminders (
    id TEXT NOT NULL PRIMARY KEY,
    licence_number TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    days_before INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT NULL,
    claimed_until TEXT NULL,
    done_at TEXT NULL,
    CONSTRAINT ux_notification_reminder UNIQUE (licence_number, valid_to, days_before)
);
CREATE INDEX ix_notification_reminders_due ON notification_reminders (status, due_on);

-- The county clerk's monthly notice of the licences expiring the next month: one per county and month.
CREATE TABLE clerk_notices (
    county_code TEXT NOT NULL,
    month TEXT NOT NULL,
    licence_count INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (county_code, month)
);
