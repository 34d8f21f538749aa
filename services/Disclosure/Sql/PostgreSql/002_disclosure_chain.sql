ALTER TABLE disclosure_records ADD COLUMN supersedes_record_id UUID NULL;
ALTER TABLE disclosure_records ADD COLUMN chain_sequence BIGINT NULL;
ALTER TABLE disclosure_records ADD COLUMN previous_hash VARCHAR(64) NULL;
ALTER TABLE disclosure_records ADD COLUMN record_hash VARCHAR(64) NULL;
ALTER TABLE disclosure_records ADD COLUMN subject_name VARCHAR(200) NULL;
ALTER TABLE disclosure_records ADD COLUMN licence_number VARCHAR(40) NULL;
ALTER TABLE disclosure_records ADD COLUMN decision_date DATE NULL;
ALTER TABLE disclosure_records ADD COLUMN publication_working_days INT NULL;
CREATE TABLE disclosure_chain (
    id INT NOT NULL PRIMARY KEY,
    chain_sequence BIGINT NOT NULL,
    last_position BIGINT NOT NULL,
    last_hash VARCHAR(64) NOT NULL
);
INSERT INTO disclosure_chain (id, chain_sequence, last_position, last_hash) VALUES (1, 0, 0, '');
