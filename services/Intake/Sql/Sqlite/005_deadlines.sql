ALTER TABLE applications ADD deadline_kind TEXT NULL;
ALTER TABLE applications ADD deadline_due_by TEXT NULL;
ALTER TABLE applications ADD deadline_provisional INTEGER NULL;
ALTER TABLE applications ADD deadline_paused_days INTEGER NULL;
