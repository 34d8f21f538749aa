-- Who to tell about an application: the number the applicant gave with it (kept once, masked wherever shown).
CREATE TABLE notification_contacts (
    application_id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    phone NVARCHAR(20) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL
);

-- One text message per event and template: the key names the event (its document number, shipment, …), so a
-- redelivered or republished event sends nothing twice. The body is
-- rendered when it is sent (the contact may arrive after the event); claimed_by/claimed_until lease a row to one
-- sender so two replicas never send it twice.
CREATE TABLE notification_messages (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    event_key UNIQUEIDENTIFIER NOT NULL,
    template NVARCHAR(50) NOT NULL,
    application_id UNIQUEIDENTIFIER NOT NULL,
    parameters NVARCHAR(MAX) NOT NULL,
    status NVARCHAR(20) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    created_at DATETIMEOFFSET NOT NULL,
    next_attempt_at DATETIMEOFFSET NULL,
    claimed_by NVARCHAR(100) NULL,
    claimed_until DATETIMEOFFSET NULL,
    body NVARCHAR(500) NULL,
    phone_masked NVARCHAR(20) NULL,
    phone_digest NVARCHAR(64) NULL,
    sent_at DATETIMEOFFSET NULL,
    sent_on DATE NULL,
    note NVARCHAR(500) NULL,
    CONSTRAINT ux_notification_message UNIQUE (event_key, template)
);
CREATE INDEX ix_notification_messages_due ON notification_messages (status, next_attempt_at);
CREATE INDEX ix_notification_messages_application ON notification_messages (application_id, created_at);
CREATE INDEX ix_notification_messages_cap ON notification_messages (phone_digest, sent_on);
