-- A request on a licence (补办, 变更, ...): the licence, and how Intake matched its applicant to the licence's holder at
-- submission (NULL for a request filed before that check: its applicant is not shown the pickup code).
ALTER TABLE delivery_requests ADD licence_number NVARCHAR(12) NULL;
ALTER TABLE delivery_requests ADD holder_match NVARCHAR(20) NULL;
