CREATE TABLE outbox_messages (
    sequence BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    message_id UNIQUEIDENTIFIER NOT NULL UNIQUE,
    message_type NVARCHAR(300) NOT NULL,
    body NVARCHAR(MAX) NOT NULL,
    trace_parent NVARCHAR(100) NULL,
    created_at DATETIMEOFFSET NOT NULL,
    sent_at DATETIMEOFFSET NULL,
    attempts INT NOT NULL DEFAULT 0,
    last_error NVARCHAR(MAX) NULL
);
CREATE INDEX ix_outbox_pending ON outbox_messages (sequence) WHERE sent_at IS NULL;

CREATE TABLE inbox_messages (
    message_id UNIQUEIDENTIFIER NOT NULL,
    consumer NVARCHAR(200) NOT NULL,
    received_at DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (message_id, consumer)
);

CREATE TABLE counters (
    name NVARCHAR(200) NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
