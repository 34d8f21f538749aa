ALTER TABLE disclosure_records ADD COLUMN supersedes_record_id TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN chain_sequence INTEGER NULL;
ALTER TABLE disclosure_records ADD COLUMN previous_hash TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN record_hash TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN subject_name TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN licence_number TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN decision_date TEXT NULL;
ALTER TABLE disclosure_records ADD COLUMN publication_working_days INTEGER NULL;
CREATE TABLE disclosure_chain (
    id INTEGER NOT NULL PRIMARY KEY,
    chain_sequence INTEGER NOT NULL,
    last_position INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO disclosure_chain (id, chain_sequence, last_position, last_hash) VALUES (1, 0, 0, '');
