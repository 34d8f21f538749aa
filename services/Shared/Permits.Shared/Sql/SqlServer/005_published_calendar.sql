-- The holiday arrangements administrators published (HolidayCalendarPublished), one row per year at its latest
-- revision: loaded over the embedded base at start and on refresh, so every replica counts on the same calendar.
CREATE TABLE published_calendar_years (
    year INT NOT NULL PRIMARY KEY,
    holidays NVARCHAR(2000) NOT NULL,
    workdays NVARCHAR(2000) NOT NULL,
    notice NVARCHAR(100) NOT NULL,
    revision INT NOT NULL,
    published_at DATETIMEOFFSET NOT NULL,
    published_by NVARCHAR(100) NOT NULL
);
