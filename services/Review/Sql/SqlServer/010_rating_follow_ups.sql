-- Issue 16: a 差评 opens a follow-up for the county head, closed by recording the contact and the rectification.
-- The day the head must have followed the 差评 up by (working days from the rating, per county).
ALTER TABLE review_poor_ratings ADD due_by DATE NULL;
-- The follow-up as the head records it: when and how the rater was contacted, what the rater said, the 整改措施.
ALTER TABLE review_poor_ratings ADD contacted_on DATE NULL;
ALTER TABLE review_poor_ratings ADD contact_method NVARCHAR(40) NULL;
ALTER TABLE review_poor_ratings ADD rater_said NVARCHAR(1000) NULL;
ALTER TABLE review_poor_ratings ADD rectification NVARCHAR(2000) NULL;
ALTER TABLE review_poor_ratings ADD followed_up_by NVARCHAR(100) NULL;
ALTER TABLE review_poor_ratings ADD followed_up_by_name NVARCHAR(100) NULL;
