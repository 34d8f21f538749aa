-- Issue 17: a county's own settings, changed by its 系统管理员 without a redeploy (one JSON document per county and
-- kind, versioned; read on every use, so a change counts on the next request in every replica). Absent: the file's.
CREATE TABLE county_settings (
    county_code VARCHAR(20) NOT NULL,
    kind VARCHAR(40) NOT NULL,
    body TEXT NOT NULL,
    version INT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by VARCHAR(200) NOT NULL,
    PRIMARY KEY (county_code, kind)
);
