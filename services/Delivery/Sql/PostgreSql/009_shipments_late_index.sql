-- The late check runs on every tracking pass: by this index it reads only the shipments still open and not yet
-- flagged (its query repeats this filter word for word, so every dialect's planner can use it), not every shipment
-- ever made.
CREATE INDEX ix_shipments_late ON shipments (service_due_by) WHERE late_flagged_at IS NULL AND status <> 'Delivered';
