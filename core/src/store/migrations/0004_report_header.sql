-- What the report header and summary need besides the incident's own record.

-- The affected system or module of an incident (公文流转, 邮件网关, …); empty when not recorded.
ALTER TABLE incidents ADD COLUMN system TEXT NOT NULL DEFAULT '';

-- Files kept with the settings, e.g. the organisation's logo printed on reports.
CREATE TABLE setting_files (
    key        TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
