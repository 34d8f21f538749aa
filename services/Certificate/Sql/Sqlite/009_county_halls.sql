-- Each county's service hall as Delivery last announced it (HallSettingsChanged): the documents name it. Only a higher
-- version replaces a row, so an older announcement arriving late changes nothing; a county with no row uses the
-- county directory's hall.
CREATE TABLE county_halls (
    county_code TEXT NOT NULL PRIMARY KEY,
    address TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    phone TEXT NOT NULL,
    version INT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
