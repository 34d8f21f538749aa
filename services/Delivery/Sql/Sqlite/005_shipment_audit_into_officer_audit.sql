-- The hall's audit joins the officer audit every service keeps (officer_audit, from the shared scripts): subject_id
-- is the shipment id as text. Who acted in which role was not recorded before, so those rows say 'unknown'.
INSERT INTO officer_audit (
    id, occurred_at, officer_id, officer_name, officer_role, officer_county, subject_id, subject_county, action,
    outcome, detail, peer_address)
SELECT id, at, substr(officer_subject, 1, 64), officer_name, 'unknown', officer_county, lower(shipment_id), county_code,
    action, outcome, detail, ''
FROM shipment_audit;

DROP TABLE shipment_audit;
