-- What was typed into an incident's report form and not yet signed: kept with the incident so
-- closing the dialog (or the app) loses nothing. Signing the report removes it.

CREATE TABLE report_drafts (
    incident_id TEXT PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    fields      TEXT NOT NULL,
    saved_at    TEXT NOT NULL
);
