CREATE TABLE annual_report_drafts (
    county_code TEXT NOT NULL,
    report_year INTEGER NOT NULL,
    entries_json TEXT NOT NULL,
    document_json TEXT NOT NULL,
    draft_hash TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (county_code, report_year)
);
CREATE TABLE annual_reports (
    county_code TEXT NOT NULL,
    report_year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    document_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    correction_note TEXT NOT NULL,
    PRIMARY KEY (county_code, report_year, version)
);
