-- Issue 17: the holiday arrangements system administrators published, every revision kept (a correction is a new
-- revision, the earlier one stays on record). Review owns the calendar; each service keeps its copy of the latest
-- revision per year in published_calendar_years (shared script 005).
CREATE TABLE review_holiday_calendars (
    year INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    holidays TEXT NOT NULL,
    workdays TEXT NOT NULL,
    notice TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_by_name TEXT NOT NULL,
    PRIMARY KEY (year, revision)
);
