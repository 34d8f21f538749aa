-- Each county's service hall as Delivery last announced it (HallSettingsChanged): the documents name it. Only a higher
-- version replaces a row, so an older announcement arriving late changes nothing; a county with no row uses the
-- county directory's hall.
CREATE TABLE county_halls (
    county_code NVARCHAR(6) NOT NULL PRIMARY KEY,
    address NVARCHAR(200) NOT NULL,
    opening_hours NVARCHAR(100) NOT NULL,
    phone NVARCHAR(40) NOT NULL,
    version INT NOT NULL,
    changed_at DATETIMEOFFSET NOT NULL,
    changed_by NVARCHAR(200) NOT NULL
);
