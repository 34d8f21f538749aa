-- One row per mobile number that ever asked for a code. Sending a code first updates this row, so two requests for
-- the same number at the same moment take turns: the limits (one a minute, ten a day) are read and applied in turn.
CREATE TABLE identity_sms_phones (
    phone_number VARCHAR(20) NOT NULL PRIMARY KEY,
    last_request_at BIGINT NOT NULL
);
