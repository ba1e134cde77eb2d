-- People (the service team and the client's people) and the on-call rota.

-- A person is stored whole as JSON (`data`, the core's `Person`); the columns beside it are
-- what lists filter and sort on. `search` holds name, pinyin, phone, e-mail, skills and
-- organisation for one LIKE.
CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('team', 'client')),
    name       TEXT NOT NULL CHECK (length(name) > 0),
    phone      TEXT NOT NULL DEFAULT '',
    department TEXT,
    resident   INTEGER NOT NULL DEFAULT 0,
    leader     INTEGER NOT NULL DEFAULT 0,
    left_on    TEXT,
    search     TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_by_kind_name ON people (kind, name);
CREATE INDEX people_by_name_phone ON people (name, phone);

CREATE TABLE rotations (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE rota_overrides (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id),
    start_at   TEXT NOT NULL,
    end_at     TEXT NOT NULL CHECK (end_at > start_at),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX rota_overrides_by_time ON rota_overrides (start_at, end_at);
