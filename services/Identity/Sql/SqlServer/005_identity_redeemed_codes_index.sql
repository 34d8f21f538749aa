-- The daily prune of redeemed authorization codes finds the old ones by index instead of reading the whole table.
CREATE INDEX ix_identity_redeemed_codes_at ON identity_redeemed_codes (redeemed_at);
