-- The codes a client address asked for, counted by the limits per client.
CREATE INDEX ix_identity_sms_codes_client ON identity_sms_codes (client_address, issued_at);
