-- Issue 16: 好差评 figures for the annual report, fed by Intake's ServiceRated (every rating) and Review's
-- RatingFollowUpOpened / RatingFollowedUp (the 差评 follow-up). No comment text and nothing about the rater: the
-- applicant's words are not for publication. Events arrive from separate outboxes in any order, so every column a
-- later event fills is nullable.
CREATE TABLE disclosure_service_ratings (
    application_id UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    application_number NVARCHAR(40) NOT NULL,
    county_code NVARCHAR(6) NOT NULL,
    level INT NULL,
    rated_at DATETIMEOFFSET NULL,
    opened_at DATETIMEOFFSET NULL,
    due_by DATE NULL,
    followed_up_at DATETIMEOFFSET NULL
);
CREATE INDEX ix_disclosure_service_ratings_county ON disclosure_service_ratings (county_code, rated_at);
