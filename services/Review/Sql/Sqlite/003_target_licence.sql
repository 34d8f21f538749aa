-- A request on a licence (变更, 补办, 注销, ...): the licence it concerns and how Intake matched the applicant to its
-- holder at submission (CreditCode or IdNumber; NULL for 新办 and for requests submitted before that check).
ALTER TABLE review_cases ADD licence_number TEXT NULL;
ALTER TABLE review_cases ADD holder_match TEXT NULL;
