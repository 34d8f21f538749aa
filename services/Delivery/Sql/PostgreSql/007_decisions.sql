-- Issue 15: when the licence was decided (准予), from Review's LicenceApproved: the service limit counts from it.
CREATE TABLE delivery_decisions (
    application_id UUID NOT NULL PRIMARY KEY,
    decided_at TIMESTAMPTZ NOT NULL
);
