-- 0002: the SLA engine. Versioned policies, the working calendar, full-text search, and a
-- projection of each incident's replayed timeline for filtering. The event log stays the
-- truth: the projection columns are rewritten from a replay on every append and can be
-- rebuilt at any time (Store::rebuild_projections).

CREATE TABLE sla_policies (
    version    INTEGER PRIMARY KEY,
    policy     TEXT NOT NULL,          -- JSON of SlaPolicy
    created_at TEXT NOT NULL
);

CREATE TABLE calendars (
    id       TEXT PRIMARY KEY,         -- 'working'
    calendar TEXT NOT NULL             -- JSON of WorkingCalendar
);

-- The level the incident was opened at; `level` becomes the current level (projection).
ALTER TABLE incidents ADD COLUMN opened_level TEXT;
UPDATE incidents SET opened_level = level;
ALTER TABLE incidents ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE incidents ADD COLUMN assignee TEXT;
-- The earliest due instant of a running or overdue milestone, as of the latest event.
ALTER TABLE incidents ADD COLUMN next_due_at TEXT;

CREATE INDEX incidents_by_status ON incidents (status, reported_at DESC);
CREATE INDEX incidents_by_next_due ON incidents (next_due_at);
CREATE INDEX incidents_by_level ON incidents (level, reported_at DESC);

-- Trigram tokens match Chinese text of three or more characters; shorter queries fall back
-- to LIKE in the query code.
CREATE VIRTUAL TABLE incident_search USING fts5 (
    incident_id UNINDEXED,
    title,
    description,
    notes,
    tokenize = 'trigram'
);

INSERT INTO incident_search (incident_id, title, description, notes)
SELECT id, title, description, '' FROM incidents;
