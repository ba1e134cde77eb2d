-- 0001: the first schema: settings, human-number sequences, incidents and their event log.
-- Times are RFC 3339 UTC text with milliseconds ("2026-11-27T02:00:00.000Z"), so they sort.
-- Ids are UUIDv7 text, so records made on two machines can merge.

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One counter per kind of human number and year: INC-2026-0001, INC-2026-0002, ...
CREATE TABLE number_sequences (
    scope TEXT    NOT NULL,
    year  INTEGER NOT NULL,
    last  INTEGER NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL CHECK (length(title) > 0),
    level       TEXT NOT NULL CHECK (level IN ('I', 'II', 'III', 'IV')),
    channel     TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    reporter    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE INDEX incidents_by_reported_at ON incidents (reported_at DESC);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE incident_events (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    actor       TEXT,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX incident_events_by_incident ON incident_events (incident_id, occurred_at);

CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;

CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;
