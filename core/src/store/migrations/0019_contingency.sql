-- Emergency plans (应急预案), kept as versions: each save adds the next version; an incident
-- that activated one keeps a copy of its steps in its timeline. `data` is the plan as JSON.
CREATE TABLE contingency_plans (
    id         TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    data       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);
