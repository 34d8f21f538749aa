-- The overall limit on codes sent an hour counts them by issue time, under the lock every send takes: by index, not by
-- reading every code ever sent (the table keeps them all), so sends do not slow down as it grows.
CREATE INDEX ix_identity_sms_codes_issued ON identity_sms_codes (issued_at);
