ALTER TABLE applications ADD query_code_hash TEXT NULL;
CREATE TABLE public_lookup_failures (
    client_key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (client_key, window_start)
);
