-- Issue 16: a 差评 opens a follow-up for the county head, closed by recording the contact and the rectification.
-- The day the head must have followed the 差评 up by (working days from the rating, per county).
ALTER TABLE review_poor_ratings ADD COLUMN due_by DATE NULL;
-- The follow-up as the head records it: when and how the rater was contacted, what the rater said, the 整改措施.
ALTER TABLE review_poor_ratings ADD COLUMN contacted_on DATE NULL;
ALTER TABLE review_poor_ratings ADD COLUMN contact_method VARCHAR(40) NULL;
ALTER TABLE review_poor_ratings ADD COLUMN rater_said VARCHAR(1000) NULL;
ALTER TABLE review_poor_ratings ADD COLUMN rectification VARCHAR(2000) NULL;
ALTER TABLE review_poor_ratings ADD COLUMN followed_up_by VARCHAR(100) NULL;
ALTER TABLE review_poor_ratings ADD COLUMN followed_up_by_name VARCHAR(100) NULL;
