-- Issue 16: a 差评 opens a follow-up for the county head, closed by recording the contact and the rectification.
-- The day the head must have followed the 差评 up by (working days from the rating, per county).
ALTER TABLE review_poor_ratings ADD COLUMN due_by TEXT NULL;
-- The follow-up as the head records it: when and how the rater was contacted, what the rater said, the 整改措施.
ALTER TABLE review_poor_ratings ADD COLUMN contacted_on TEXT NULL;
ALTER TABLE review_poor_ratings ADD COLUMN contact_method TEXT NULL;
ALTER TABLE review_poor_ratings ADD COLUMN rater_said TEXT NULL;
ALTER TABLE review_poor_ratings ADD COLUMN rectification TEXT NULL;
ALTER TABLE review_poor_ratings ADD COLUMN followed_up_by TEXT NULL;
ALTER TABLE review_poor_ratings ADD COLUMN followed_up_by_name TEXT NULL;
