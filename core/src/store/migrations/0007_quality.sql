-- Quality control and the period figures: what each incident's replayed timeline says, kept
-- beside it so a month or a year is counted by SQL instead of replaying every timeline. Like
-- the other projection columns these are rewritten on every append and rebuilt on migration.

ALTER TABLE incidents ADD COLUMN resolved_at TEXT;
ALTER TABLE incidents ADD COLUMN closed_at TEXT;
-- From the latest incident report (故障种类, 故障原因).
ALTER TABLE incidents ADD COLUMN fault_type TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN cause TEXT NOT NULL DEFAULT '';
-- Time used to respond and to resolve (paused time excluded), once met: MTTA and MTTR.
ALTER TABLE incidents ADD COLUMN response_seconds INTEGER;
ALTER TABLE incidents ADD COLUMN resolution_seconds INTEGER;
-- Covering indexes: a year of figures is read from the indexes alone.
CREATE INDEX incidents_by_reported_response ON incidents (reported_at, level, response_seconds, channel);
CREATE INDEX incidents_by_resolved_at ON incidents (resolved_at, level, resolution_seconds, fault_type, cause);
CREATE INDEX incidents_by_closed_at ON incidents (closed_at);

-- Each milestone as the engine saw it at the latest append: when it is due, when it was met
-- and the time it used (paused time excluded). A milestone without a due time (not started,
-- paused, not applicable) has due_at NULL.
CREATE TABLE milestone_facts (
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    kind         TEXT NOT NULL,
    level        TEXT NOT NULL,
    due_at       TEXT,
    met_at       TEXT,
    used_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, kind)
) WITHOUT ROWID;
-- Compliance counts one (milestone, level) cell at a time; the weekly p-chart counts by due time.
CREATE INDEX milestone_facts_by_cell ON milestone_facts (kind, level, due_at, met_at);
CREATE INDEX milestone_facts_by_due ON milestone_facts (due_at, met_at);

-- Statistical sampling (统计抽样): a drawn sample with the seed that reproduces it, and the
-- quality team's review of each sampled incident.
CREATE TABLE qa_samples (
    id           TEXT PRIMARY KEY,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 1),
    seed         TEXT NOT NULL,
    population   INTEGER NOT NULL,
    drawn_by     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE TABLE qa_sample_items (
    sample_id   TEXT NOT NULL REFERENCES qa_samples (id),
    position    INTEGER NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    outcome     TEXT CHECK (outcome IN ('ok', 'finding')),
    note        TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    PRIMARY KEY (sample_id, incident_id)
);

-- Every signed monthly service report (运维月报) exactly as issued; never changed or removed.
CREATE TABLE monthly_revisions (
    id        INTEGER PRIMARY KEY,
    month     TEXT NOT NULL,             -- 2026-10
    revision  INTEGER NOT NULL CHECK (revision >= 1),
    number    TEXT NOT NULL,             -- MR-2026-10
    lang      TEXT NOT NULL,
    signer    TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    pdf       BLOB NOT NULL,
    UNIQUE (month, revision)
);
CREATE INDEX monthly_revisions_by_sha256 ON monthly_revisions (sha256);

CREATE TRIGGER monthly_revisions_immutable BEFORE UPDATE ON monthly_revisions
BEGIN
    SELECT RAISE(ABORT, 'monthly report revisions are immutable');
END;

CREATE TRIGGER monthly_revisions_kept BEFORE DELETE ON monthly_revisions
BEGIN
    SELECT RAISE(ABORT, 'monthly report revisions are kept');
END;
