-- Training: audiences added by the team, plans, sessions with their attendees, and the signed
-- plan revisions.

-- The five audiences of the contract are built into the app; these are the ones added here.
CREATE TABLE training_audiences (
    code       TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A plan is stored whole as JSON (`data`, the core's `Plan`, rows included).
CREATE TABLE training_plans (
    id         TEXT PRIMARY KEY,
    number     TEXT NOT NULL UNIQUE,
    start_date TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A session is stored whole as JSON (`data`, the core's `Session`, attendance included); the
-- columns beside it are what clash checks and calendars search on. `trainer_key` is the
-- trainer's person id, or `ext:` and the external trainer's name.
CREATE TABLE training_sessions (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES training_plans (id),
    trainer_key TEXT NOT NULL,
    room        TEXT NOT NULL,
    audience    TEXT NOT NULL,
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL CHECK (end_at > start_at),
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX training_sessions_by_time ON training_sessions (start_at, end_at);
CREATE INDEX training_sessions_by_plan ON training_sessions (plan_id, start_at);
CREATE INDEX training_sessions_by_trainer ON training_sessions (trainer_key, start_at);

-- Who is booked on which session, for "is this person free" without reading every session.
CREATE TABLE training_attendees (
    session_id TEXT NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL,
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX training_attendees_by_person ON training_attendees (person_id);

-- Every signed training plan exactly as issued; never changed or removed.
CREATE TABLE plan_revisions (
    id         INTEGER PRIMARY KEY,
    plan_id    TEXT NOT NULL REFERENCES training_plans (id),
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    number     TEXT NOT NULL,
    lang       TEXT NOT NULL,
    signer     TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    pdf        BLOB NOT NULL,
    UNIQUE (plan_id, revision)
);
CREATE INDEX plan_revisions_by_sha256 ON plan_revisions (sha256);

CREATE TRIGGER plan_revisions_immutable BEFORE UPDATE ON plan_revisions
BEGIN
    SELECT RAISE(ABORT, 'plan revisions are immutable');
END;

CREATE TRIGGER plan_revisions_kept BEFORE DELETE ON plan_revisions
BEGIN
    SELECT RAISE(ABORT, 'plan revisions are kept');
END;
