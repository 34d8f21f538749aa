-- Outbox rows carry a stable message name and a claim (lease) so replicas share the relay; rows that cannot be read
-- are set aside in outbox_dead_letters; the inbox is keyed by message name and id instead of the consumer's class.
ALTER TABLE outbox_messages ADD COLUMN message_name VARCHAR(300) NULL;
ALTER TABLE outbox_messages ADD COLUMN claimed_by VARCHAR(100) NULL;
ALTER TABLE outbox_messages ADD COLUMN claimed_until TIMESTAMPTZ NULL;
CREATE INDEX ix_outbox_sent ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE outbox_dead_letters (
    sequence BIGINT NOT NULL PRIMARY KEY,
    message_id UUID NOT NULL,
    message_name VARCHAR(300) NULL,
    message_type VARCHAR(300) NOT NULL,
    body TEXT NOT NULL,
    trace_parent VARCHAR(100) NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts INT NOT NULL,
    dead_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL
);

ALTER TABLE inbox_messages ADD COLUMN message_name VARCHAR(300) NULL;
-- Inbox rows written so far name only the consumer class: every consumer then was named after the one message it
-- consumes, so the class gives the message. A row left without a name still counts for its consumer class.
UPDATE inbox_messages SET message_name = CASE consumer
    WHEN 'ApplicationSubmittedConsumer' THEN 'urn:message:Permits.Contracts.Intake:ApplicationSubmitted'
    WHEN 'ApplicationResubmittedConsumer' THEN 'urn:message:Permits.Contracts.Intake:ApplicationResubmitted'
    WHEN 'ApplicationAcceptedConsumer' THEN 'urn:message:Permits.Contracts.Review:ApplicationAccepted'
    WHEN 'ApplicationNotAcceptedConsumer' THEN 'urn:message:Permits.Contracts.Review:ApplicationNotAccepted'
    WHEN 'CorrectionRequestedConsumer' THEN 'urn:message:Permits.Contracts.Review:CorrectionRequested'
    WHEN 'DecisionPeriodExtendedConsumer' THEN 'urn:message:Permits.Contracts.Review:DecisionPeriodExtended'
    WHEN 'LicenceApprovedConsumer' THEN 'urn:message:Permits.Contracts.Review:LicenceApproved'
    WHEN 'LicenceDeniedConsumer' THEN 'urn:message:Permits.Contracts.Review:LicenceDenied'
    WHEN 'CertificateIssuedConsumer' THEN 'urn:message:Permits.Contracts.Certificate:CertificateIssued'
    WHEN 'CertificateSuspendedConsumer' THEN 'urn:message:Permits.Contracts.Certificate:CertificateSuspended'
    WHEN 'CertificateResumedConsumer' THEN 'urn:message:Permits.Contracts.Certificate:CertificateResumed'
    WHEN 'CertificateRevokedConsumer' THEN 'urn:message:Permits.Contracts.Certificate:CertificateRevoked'
    WHEN 'ShipmentDispatchedConsumer' THEN 'urn:message:Permits.Contracts.Delivery:ShipmentDispatched'
    WHEN 'ShipmentProgressedConsumer' THEN 'urn:message:Permits.Contracts.Delivery:ShipmentProgressed'
    WHEN 'ShipmentAwaitingPickupConsumer' THEN 'urn:message:Permits.Contracts.Delivery:ShipmentAwaitingPickup'
    WHEN 'ShipmentDeliveredConsumer' THEN 'urn:message:Permits.Contracts.Delivery:ShipmentDelivered'
    WHEN 'DeliveryFailedConsumer' THEN 'urn:message:Permits.Contracts.Delivery:DeliveryFailed'
    WHEN 'ServiceRatedConsumer' THEN 'urn:message:Permits.Contracts.Intake:ServiceRated'
    END
WHERE message_name IS NULL;
CREATE UNIQUE INDEX ux_inbox_message ON inbox_messages (message_id, message_name);
CREATE INDEX ix_inbox_received ON inbox_messages (received_at);
