-- Customer follow-up (回访) of closed incidents: the rating and what the reporter said.
CREATE TABLE follow_ups (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT    NOT NULL REFERENCES incidents (id),
    satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    called_at    INTEGER NOT NULL,   -- milliseconds since 1970, UTC
    data         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX follow_ups_by_incident ON follow_ups (incident_id, called_at);
CREATE INDEX follow_ups_by_time ON follow_ups (called_at);
