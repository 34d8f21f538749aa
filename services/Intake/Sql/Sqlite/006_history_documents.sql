ALTER TABLE application_history ADD document_title TEXT NULL;
ALTER TABLE application_history ADD document_number TEXT NULL;
