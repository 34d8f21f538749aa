ALTER TABLE applications ADD deadline_kind NVARCHAR(20) NULL;
ALTER TABLE applications ADD deadline_due_by DATE NULL;
ALTER TABLE applications ADD deadline_provisional INT NULL;
ALTER TABLE applications ADD deadline_paused_days INT NULL;
