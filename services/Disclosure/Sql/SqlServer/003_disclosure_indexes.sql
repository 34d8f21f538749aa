CREATE INDEX ix_disclosure_records_kind ON disclosure_records (kind, position);
CREATE INDEX ix_disclosure_records_occurred ON disclosure_records (occurred_at, position);
CREATE INDEX ix_disclosure_records_supersedes ON disclosure_records (supersedes_record_id);
CREATE INDEX ix_disclosure_records_licence ON disclosure_records (licence_number, position);
CREATE INDEX ix_disclosure_records_decision ON disclosure_records (decision_date, position);
