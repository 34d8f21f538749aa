-- Who to tell about an application: the number the applicant gave with it (kept once, masked wherever shown).
CREATE TABLE notification_contacts (
    application_id UUID NOT NULL PRIMARY KEY,
    application_number VARCHAR(40) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    phone VARCHAR(20) NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- One text message per event and template: the key names the event (its document number, shipment, …), so a
-- redelivered or republished event sends nothing twice. The body is
-- rendered when it is sent (the contact may arrive after the event); claimed_by/claimed_until lease a row to one
-- sender so two replicas never send it twice.
CREATE TABLE notification_messages (
    id UUID NOT NULL PRIMARY KEY,
    event_key UUID NOT NULL,
    template VARCHAR(50) NOT NULL,
    application_id UUID NOT NULL,
    parameters TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NULL,
    claimed_by VARCHAR(100) NULL,
    claimed_until TIMESTAMPTZ NULL,
    body VARCHAR(500) NULL,
    phone_masked VARCHAR(20) NULL,
    phone_digest VARCHAR(64) NULL,
    sent_at TIMESTAMPTZ NULL,
    sent_on DATE NULL,
    note VARCHAR(500) NULL,
    CONSTRAINT ux_notification_message UNIQUE (event_key, template)
);
CREATE INDEX ix_notification_messages_due ON notification_messages (status, next_attempt_at);
CREATE INDEX ix_notification_messages_application ON notification_messages (application_id, created_at);
CREATE INDEX ix_notification_messages_cap ON notification_messages (phone_digest, sent_on);
