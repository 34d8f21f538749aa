-- Who to tell about an application: the number the applicant gave with it (kept once, masked wherever shown).
CREATE TABLE notification_contacts (
    application_id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    phone TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- One text message per event and template: the key names the event (its document number, shipment, …), so a
-- redelivered or republished event sends nothing twice. The body is
-- rendered when it is sent (the contact may arrive after the event); claimed_by/claimed_until lease a row to one
-- sender so two replicas never send it twice.
CREATE TABLE notification_messages (
    id TEXT NOT NULL PRIMARY KEY,
    event_key TEXT NOT NULL,
    template TEXT NOT NULL,
    application_id TEXT NOT NULL,
    parameters TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NULL,
    claimed_by TEXT NULL,
    claimed_until TEXT NULL,
    body TEXT NULL,
    phone_masked TEXT NULL,
    phone_digest TEXT NULL,
    sent_at TEXT NULL,
    sent_on TEXT NULL,
    note TEXT NULL,
    CONSTRAINT ux_notification_message UNIQUE (event_key, template)
);
CREATE INDEX ix_notification_messages_due ON notification_messages (status, next_attempt_at);
CREATE INDEX ix_notification_messages_application ON notification_messages (application_id, created_at);
CREATE INDEX ix_notification_messages_cap ON notification_messages (phone_digest, sent_on);
