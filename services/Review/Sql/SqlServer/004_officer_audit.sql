-- Review's audit joins the one officer audit every service keeps (officer_audit, shared script 002): the same rows,
-- the case as the subject, outcomes spelt as the shared table spells them. The old table goes.
INSERT INTO officer_audit (
    id, occurred_at, officer_id, officer_name, officer_role, officer_county, subject_id, subject_county, action, outcome,
    detail, peer_address)
SELECT
    id, occurred_at, officer_id, '', officer_role, officer_county, COALESCE(LOWER(CONVERT(NVARCHAR(36), case_id)), N''), case_county, action,
    CASE outcome WHEN 'Refused' THEN 'refused' ELSE 'done' END, detail, peer_address
FROM review_audit;
DROP TABLE review_audit;
