-- A sender reads back the batch it has just leased by its claim: by this index, which holds only the messages leased
-- at the moment, not by reading every message ever queued.
CREATE INDEX ix_notification_messages_claimed ON notification_messages (claimed_by) WHERE claimed_by IS NOT NULL;
