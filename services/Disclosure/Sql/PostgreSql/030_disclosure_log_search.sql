-- The public log is searched by the licensee's name (the Portal's 信息公开 page, newest first).
CREATE INDEX ix_disclosure_records_subject ON disclosure_records (subject_name, position);
