-- A document's PDF is deflated already (its page streams and font): PostgreSQL's default storage for BYTEA ran pglz over
-- every PDF inserted, about 1% of the whole system's CPU in the journey bench, to save nothing. EXTERNAL still moves a
-- large value out of line (TOAST), uncompressed. Rows stored before keep their form; both read the same.
ALTER TABLE official_documents ALTER COLUMN pdf SET STORAGE EXTERNAL;
