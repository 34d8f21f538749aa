-- Who may ask for a step on a licence (补办, 注销, 变更, ...): its holder. From ApplicationSubmitted, each application's
-- digest of the 负责人's 身份证号 (the issuing application's identifies an individual business without a credit code),
-- and for a request on a licence how Intake matched its applicant to the holder at submission (CreditCode or
-- IdNumber); NULL for requests submitted before the check, whose applicants are not taken for holders.
ALTER TABLE licence_requests ADD holder_id_digest VARCHAR(64) NULL;
ALTER TABLE licence_requests ADD holder_match VARCHAR(20) NULL;
