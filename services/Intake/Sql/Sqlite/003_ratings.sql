CREATE TABLE service_ratings (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    owner_subject TEXT NOT NULL,
    level TEXT NOT NULL,
    comment TEXT NULL,
    needs_follow_up INTEGER NOT NULL,
    rated_at TEXT NOT NULL
);
CREATE INDEX ix_service_ratings_follow_up ON service_ratings (needs_follow_up, rated_at);
