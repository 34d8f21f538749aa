-- 停业: the period the shopkeeper asked for (from ApplicationSubmitted). An approval before the first day only
-- schedules the suspension (suspension_scheduled_at, with the approving officer and decision document); the
-- suspension worker applies it on the first day, claiming the row once (suspension_applied_at).
ALTER TABLE licence_requests ADD suspend_from TEXT NULL;
ALTER TABLE licence_requests ADD suspend_until TEXT NULL;
ALTER TABLE licence_requests ADD suspension_scheduled_at TEXT NULL;
ALTER TABLE licence_requests ADD approving_officer_id TEXT NULL;
ALTER TABLE licence_requests ADD decision_document TEXT NULL;
ALTER TABLE licence_requests ADD suspension_applied_at TEXT NULL;
CREATE INDEX ix_licence_requests_suspend_from ON licence_requests (suspend_from);
