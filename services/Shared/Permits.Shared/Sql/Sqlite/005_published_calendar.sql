-- The holiday arrangements administrators published (HolidayCalendarPublished), one row per year at its latest
-- revision: loaded over the embedded base at start and on refresh, so every replica counts on the same calendar.
CREATE TABLE published_calendar_years (
    year INTEGER NOT NULL PRIMARY KEY,
    holidays TEXT NOT NULL,
    workdays TEXT NOT NULL,
    notice TEXT NOT NULL,
    revision INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
);
