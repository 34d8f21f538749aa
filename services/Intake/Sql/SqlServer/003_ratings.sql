CREATE TABLE service_ratings (
    id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_id UNIQUEIDENTIFIER NOT NULL UNIQUE REFERENCES applications (id),
    owner_subject NVARCHAR(200) NOT NULL,
    level NVARCHAR(30) NOT NULL,
    comment NVARCHAR(500) NULL,
    needs_follow_up BIT NOT NULL,
    rated_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_service_ratings_follow_up ON service_ratings (needs_follow_up, rated_at);
