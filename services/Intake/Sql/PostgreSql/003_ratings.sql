CREATE TABLE service_ratings (
    id UUID NOT NULL PRIMARY KEY,
    application_id UUID NOT NULL UNIQUE REFERENCES applications (id),
    owner_subject VARCHAR(200) NOT NULL,
    level VARCHAR(30) NOT NULL,
    comment VARCHAR(500) NULL,
    needs_follow_up BOOLEAN NOT NULL,
    rated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_service_ratings_follow_up ON service_ratings (needs_follow_up, rated_at);
