ALTER TABLE applications ADD query_code_hash NVARCHAR(64) NULL;
CREATE TABLE public_lookup_failures (
    client_key NVARCHAR(120) NOT NULL,
    window_start BIGINT NOT NULL,
    failures INT NOT NULL,
    PRIMARY KEY (client_key, window_start)
);
