CREATE TABLE outbox_messages (
    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id UUID NOT NULL UNIQUE,
    message_type VARCHAR(300) NOT NULL,
    body TEXT NOT NULL,
    trace_parent VARCHAR(100) NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ NULL,
    attempts INT NOT NULL DEFAULT 0,
    last_error TEXT NULL
);
CREATE INDEX ix_outbox_pending ON outbox_messages (sequence) WHERE sent_at IS NULL;

CREATE TABLE inbox_messages (
    message_id UUID NOT NULL,
    consumer VARCHAR(200) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, consumer)
);

CREATE TABLE counters (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
