CREATE TABLE annual_report_drafts (
    county_code NVARCHAR(6) NOT NULL,
    report_year INT NOT NULL,
    entries_json NVARCHAR(MAX) NOT NULL,
    document_json NVARCHAR(MAX) NOT NULL,
    draft_hash NVARCHAR(64) NOT NULL,
    saved_at DATETIMEOFFSET NOT NULL,
    saved_by NVARCHAR(100) NOT NULL,
    PRIMARY KEY (county_code, report_year)
);
CREATE TABLE annual_reports (
    county_code NVARCHAR(6) NOT NULL,
    report_year INT NOT NULL,
    version INT NOT NULL,
    document_json NVARCHAR(MAX) NOT NULL,
    content_hash NVARCHAR(64) NOT NULL,
    published_at DATETIMEOFFSET NOT NULL,
    published_by NVARCHAR(100) NOT NULL,
    correction_note NVARCHAR(1000) NOT NULL,
    PRIMARY KEY (county_code, report_year, version)
);
