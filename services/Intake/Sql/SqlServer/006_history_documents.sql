ALTER TABLE application_history ADD document_title NVARCHAR(60) NULL;
ALTER TABLE application_history ADD document_number NVARCHAR(60) NULL;
