ALTER TABLE application_history ADD document_title VARCHAR(60) NULL;
ALTER TABLE application_history ADD document_number VARCHAR(60) NULL;
