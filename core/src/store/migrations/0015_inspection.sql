-- Routine service: check-list templates (versioned), inspection plans, their runs and readings,
-- attachments kept by content, the client's backups, the asset register and work orders.

-- A template edited here, whole as JSON at each version (the built-in ones live in the code at
-- version 1 until edited). A run names the version it used.
CREATE TABLE inspection_templates (
    id         TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE inspection_plans (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One run per plan and due date: generating twice makes nothing new. Times the code compares
-- are milliseconds since 1970, UTC.
CREATE TABLE inspection_runs (
    id               TEXT PRIMARY KEY,
    plan_id          TEXT    NOT NULL REFERENCES inspection_plans (id),
    due_date         TEXT    NOT NULL,
    due_at           INTEGER NOT NULL,
    closes_at        INTEGER NOT NULL,
    template_id      TEXT    NOT NULL,
    template_version INTEGER NOT NULL,
    assignee_id      TEXT,
    assignee_name    TEXT    NOT NULL,
    asset_id         TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('open', 'submitted', 'signed_off', 'missed')),
    abnormal         INTEGER NOT NULL DEFAULT 0,
    note             TEXT    NOT NULL DEFAULT '',
    submitted_at     INTEGER,
    submitted_by     TEXT    NOT NULL DEFAULT '',
    signed_off_at    INTEGER,
    signed_off_by    TEXT    NOT NULL DEFAULT '',
    UNIQUE (plan_id, due_date)
);
CREATE INDEX inspection_runs_by_date ON inspection_runs (due_date);
CREATE INDEX inspection_runs_by_state ON inspection_runs (state, closes_at);

CREATE TABLE inspection_results (
    run_id      TEXT    NOT NULL REFERENCES inspection_runs (id),
    item_key    TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    number      REAL,
    abnormal    INTEGER NOT NULL,
    flagged     INTEGER NOT NULL,
    note        TEXT    NOT NULL,
    incident_id TEXT,
    PRIMARY KEY (run_id, item_key)
) WITHOUT ROWID;
CREATE INDEX inspection_results_by_incident ON inspection_results (incident_id) WHERE incident_id IS NOT NULL;

-- Files kept once by their SHA-256 (photos, log excerpts); what links them to a reading is
-- inspection_attachments.
CREATE TABLE attachments (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    media_type TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE inspection_attachments (
    run_id   TEXT NOT NULL REFERENCES inspection_runs (id),
    item_key TEXT NOT NULL,
    sha256   TEXT NOT NULL REFERENCES attachments (sha256),
    name     TEXT NOT NULL,
    PRIMARY KEY (run_id, item_key, sha256)
) WITHOUT ROWID;

CREATE TABLE client_backups (
    id          TEXT PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('full', 'incremental', 'restore_test')),
    finished_at INTEGER NOT NULL,
    data        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX client_backups_by_time ON client_backups (finished_at);

CREATE TABLE assets (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Routine orders made from an asset's interval carry the date they were made for, once each.
CREATE TABLE work_orders (
    id           TEXT PRIMARY KEY,
    number       TEXT    NOT NULL UNIQUE,
    state        TEXT    NOT NULL,
    asset_id     TEXT,
    window_start INTEGER NOT NULL,
    routine_date TEXT,
    data         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (asset_id, routine_date)
);
CREATE INDEX work_orders_by_window ON work_orders (window_start);

-- Every signed monthly inspection report (巡检月报) exactly as issued; never changed or removed.
CREATE TABLE inspection_revisions (
    id        INTEGER PRIMARY KEY,
    month     TEXT NOT NULL,             -- 2026-11
    revision  INTEGER NOT NULL CHECK (revision >= 1),
    number    TEXT NOT NULL,             -- IR-2026-11
    lang      TEXT NOT NULL,
    signer    TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    pdf       BLOB NOT NULL,
    UNIQUE (month, revision)
);
CREATE INDEX inspection_revisions_by_sha256 ON inspection_revisions (sha256);

CREATE TRIGGER inspection_revisions_immutable BEFORE UPDATE ON inspection_revisions
BEGIN
    SELECT RAISE(ABORT, 'inspection report revisions are immutable');
END;

CREATE TRIGGER inspection_revisions_kept BEFORE DELETE ON inspection_revisions
BEGIN
    SELECT RAISE(ABORT, 'inspection report revisions are kept');
END;
