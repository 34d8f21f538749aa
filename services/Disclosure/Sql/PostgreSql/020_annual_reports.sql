CREATE TABLE annual_report_drafts (
    county_code VARCHAR(6) NOT NULL,
    report_year INT NOT NULL,
    entries_json TEXT NOT NULL,
    document_json TEXT NOT NULL,
    draft_hash VARCHAR(64) NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by VARCHAR(100) NOT NULL,
    PRIMARY KEY (county_code, report_year)
);
CREATE TABLE annual_reports (
    county_code VARCHAR(6) NOT NULL,
    report_year INT NOT NULL,
    version INT NOT NULL,
    document_json TEXT NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by VARCHAR(100) NOT NULL,
    correction_note VARCHAR(1000) NOT NULL,
    PRIMARY KEY (county_code, report_year, version)
);
