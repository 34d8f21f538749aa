-- Issue 16: 好差评 figures for the annual report, fed by Intake's ServiceRated (every rating) and Review's
-- RatingFollowUpOpened / RatingFollowedUp (the 差评 follow-up). No comment text and nothing about the rater: the
-- applicant's words are not for publication. Events arrive from separate outboxes in any order, so every column a
-- later event fills is nullable.
CREATE TABLE disclosure_service_ratings (
    application_id TEXT NOT NULL PRIMARY KEY,
    application_number TEXT NOT NULL,
    county_code TEXT NOT NULL,
    level INTEGER NULL,
    rated_at TEXT NULL,
    opened_at TEXT NULL,
    due_by TEXT NULL,
    followed_up_at TEXT NULL
);
CREATE INDEX ix_disclosure_service_ratings_county ON disclosure_service_ratings (county_code, rated_at);
