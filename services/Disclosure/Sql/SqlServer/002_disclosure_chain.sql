ALTER TABLE disclosure_records ADD supersedes_record_id UNIQUEIDENTIFIER NULL;
ALTER TABLE disclosure_records ADD chain_sequence BIGINT NULL;
ALTER TABLE disclosure_records ADD previous_hash NVARCHAR(64) NULL;
ALTER TABLE disclosure_records ADD record_hash NVARCHAR(64) NULL;
ALTER TABLE disclosure_records ADD subject_name NVARCHAR(200) NULL;
ALTER TABLE disclosure_records ADD licence_number NVARCHAR(40) NULL;
ALTER TABLE disclosure_records ADD decision_date DATE NULL;
ALTER TABLE disclosure_records ADD publication_working_days INT NULL;
CREATE TABLE disclosure_chain (
    id INT NOT NULL PRIMARY KEY,
    chain_sequence BIGINT NOT NULL,
    last_position BIGINT NOT NULL,
    last_hash NVARCHAR(64) NOT NULL
);
INSERT INTO disclosure_chain (id, chain_sequence, last_position, last_hash) VALUES (1, 0, 0, N'');
