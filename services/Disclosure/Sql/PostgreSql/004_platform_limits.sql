CREATE TABLE platform_rate (
    client_id VARCHAR(100) NOT NULL PRIMARY KEY,
    theoretical_arrival BIGINT NOT NULL,
    last_call VARCHAR(36) NOT NULL
);
CREATE TABLE platform_quota (
    client_id VARCHAR(100) NOT NULL,
    window_start BIGINT NOT NULL,
    used INT NOT NULL,
    PRIMARY KEY (client_id, window_start)
);
