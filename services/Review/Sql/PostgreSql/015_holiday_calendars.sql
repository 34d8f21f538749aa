-- Issue 17: the holiday arrangements system administrators published, every revision kept (a correction is a new
-- revision, the earlier one stays on record). Review owns the calendar; each service keeps its copy of the latest
-- revision per year in published_calendar_years (shared script 005).
CREATE TABLE review_holiday_calendars (
    year INT NOT NULL,
    revision INT NOT NULL,
    holidays VARCHAR(2000) NOT NULL,
    workdays VARCHAR(2000) NOT NULL,
    notice VARCHAR(100) NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by VARCHAR(100) NOT NULL,
    published_by_name VARCHAR(100) NOT NULL,
    PRIMARY KEY (year, revision)
);
