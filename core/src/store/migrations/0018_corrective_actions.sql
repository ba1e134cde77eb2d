-- Corrective actions (整改项): findings of QA reviews, drills and inspections put right by an
-- owner before a due date, closed with evidence.
CREATE TABLE corrective_actions (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    source           TEXT NOT NULL CHECK (source IN ('qa', 'drill', 'inspection', 'other')),
    source_id        TEXT NOT NULL,
    source_label     TEXT NOT NULL,
    title            TEXT NOT NULL,
    owner            TEXT NOT NULL,
    due              TEXT NOT NULL,   -- YYYY-MM-DD, service time
    status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    evidence         TEXT NOT NULL DEFAULT '',
    closed_at        TEXT,
    closed_by        TEXT NOT NULL DEFAULT '',
    reopened_because TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
);
CREATE INDEX corrective_actions_open ON corrective_actions (status, due);
CREATE INDEX corrective_actions_by_source ON corrective_actions (source, source_id);
