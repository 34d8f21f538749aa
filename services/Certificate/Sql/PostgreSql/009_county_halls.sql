-- Each county's service hall as Delivery last announced it (HallSettingsChanged): the documents name it. Only a higher
-- version replaces a row, so an older announcement arriving late changes nothing; a county with no row uses the
-- county directory's hall.
CREATE TABLE county_halls (
    county_code VARCHAR(6) NOT NULL PRIMARY KEY,
    address VARCHAR(200) NOT NULL,
    opening_hours VARCHAR(100) NOT NULL,
    phone VARCHAR(40) NOT NULL,
    version INT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by VARCHAR(200) NOT NULL
);
