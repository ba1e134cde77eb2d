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

-- A compact integer key per incident: the rowid of its searchable text, so a full-text hit
-- finds its incident through one integer index.
ALTER TABLE incidents ADD COLUMN seq INTEGER;
UPDATE incidents SET seq = rowid;
CREATE UNIQUE INDEX incidents_by_seq ON incidents (seq);

-- The list is ordered by report time then number; filters narrow by status and level.
DROP INDEX incidents_by_reported_at;
CREATE INDEX incidents_by_time ON incidents (reported_at DESC, number DESC);
CREATE INDEX incidents_by_status ON incidents (status, level, reported_at DESC, number DESC);
CREATE INDEX incidents_by_level ON incidents (level, reported_at DESC, number DESC);
CREATE INDEX incidents_by_next_due ON incidents (next_due_at);

-- Searchable text of each incident: title, description and the notes of its timeline. Its
-- explicit integer key (= incidents.seq) keeps FTS rowids stable through VACUUM and backups.
CREATE TABLE incident_text (
    rowid       INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL UNIQUE REFERENCES incidents (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT ''
);

-- Trigram tokens match Chinese text of three or more characters; shorter queries fall back
-- to LIKE over incident_text in the query code.
CREATE VIRTUAL TABLE incident_search USING fts5 (
    title,
    description,
    notes,
    content = 'incident_text',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);

CREATE TRIGGER incident_text_ai AFTER INSERT ON incident_text BEGIN
    INSERT INTO incident_search (rowid, title, description, notes)
    VALUES (new.rowid, new.title, new.description, new.notes);
END;

CREATE TRIGGER incident_text_au AFTER UPDATE ON incident_text BEGIN
    INSERT INTO incident_search (incident_search, rowid, title, description, notes)
    VALUES ('delete', old.rowid, old.title, old.description, old.notes);
    INSERT INTO incident_search (rowid, title, description, notes)
    VALUES (new.rowid, new.title, new.description, new.notes);
END;

INSERT INTO incident_text (rowid, incident_id, title, description) SELECT seq, id, title, description FROM incidents;
