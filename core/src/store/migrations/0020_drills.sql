-- Emergency drills (应急演练): each drill's record as JSON (form, scope, the plan exercised,
-- participants, the timestamped log, recovery times, evaluation). `number` is DR-2026-01 by the
-- year the drill is held in; the findings are corrective actions (source 'drill').
CREATE TABLE drills (
    id         TEXT    PRIMARY KEY,
    number     TEXT    NOT NULL UNIQUE,
    year       INTEGER NOT NULL,
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX drills_by_year ON drills (year);

-- Every signed drill report (演练报告) exactly as issued; never changed or removed.
CREATE TABLE drill_revisions (
    id        INTEGER PRIMARY KEY,
    drill_id  TEXT    NOT NULL REFERENCES drills (id),
    revision  INTEGER NOT NULL CHECK (revision >= 1),
    number    TEXT    NOT NULL,
    lang      TEXT    NOT NULL,
    signer    TEXT    NOT NULL,
    signed_at TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    pdf       BLOB    NOT NULL,
    UNIQUE (drill_id, revision)
);
CREATE INDEX drill_revisions_by_sha256 ON drill_revisions (sha256);

CREATE TRIGGER drill_revisions_immutable BEFORE UPDATE ON drill_revisions
BEGIN
    SELECT RAISE(ABORT, 'drill report revisions are immutable');
END;

CREATE TRIGGER drill_revisions_kept BEFORE DELETE ON drill_revisions
BEGIN
    SELECT RAISE(ABORT, 'drill report revisions are kept');
END;
