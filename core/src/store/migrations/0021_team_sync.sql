-- Team mode: this copy's link to the team server, the events waiting to be sent, and numbers
-- that are provisional until the server gives the incident its own.

-- 1 while the incident carries a provisional label (TMP-2026-0001): created in team mode and
-- not yet numbered by the server. A signed document never carries such a number.
ALTER TABLE incidents ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1));

-- One row once this copy has joined a team: where it syncs, as whom, and how far it has read.
CREATE TABLE team_link (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    server       TEXT NOT NULL,
    login        TEXT NOT NULL,
    -- The team CA certificate (PEM) the server's TLS certificate must chain to; NULL for a
    -- server on this machine.
    ca           TEXT,
    -- This copy's id on the server (the events it pushed carry it).
    device       TEXT NOT NULL,
    -- The pull cursor: the last event read, by the server transaction that stored it.
    cursor_xid   TEXT NOT NULL DEFAULT '0',
    cursor_id    TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    joined_at    TEXT NOT NULL,
    last_sync_at TEXT,
    -- The last sync's failure, worded for the person (NULL when it went through).
    last_error   TEXT,
    -- Records (people, rota, training…): the audit trail's entries up to this one are sent,
    -- and the records pull cursor.
    audit_sent   INTEGER NOT NULL DEFAULT 0,
    records_xid  TEXT NOT NULL DEFAULT '0',
    records_seq  INTEGER NOT NULL DEFAULT 0
);

-- Timeline events recorded here and not yet acknowledged by the server, oldest first.
CREATE TABLE sync_outbox (
    seq          INTEGER PRIMARY KEY,
    incident_seq INTEGER NOT NULL REFERENCES incidents (seq),
    event_id     BLOB NOT NULL UNIQUE
);

-- Every event stored while joined is queued; the events a pull brings are taken off again by
-- the pull itself, in the same transaction.
CREATE TRIGGER sync_outbox_queue AFTER INSERT ON incident_events
WHEN EXISTS (SELECT 1 FROM team_link)
BEGIN
    INSERT INTO sync_outbox (incident_seq, event_id) VALUES (new.incident_seq, new.id);
END;

-- Records to send whatever the audit trail says: every shared record when this copy joins (its
-- history may predate the trail), and a conflict resolved as "keep mine".
CREATE TABLE record_outbox (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- The server's version each shared record here was last synced at (absent: never synced).
CREATE TABLE record_versions (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- A record changed here and on the server since they last agreed: both values kept until a
-- person chooses. `mine` / `theirs` are the record's fields as JSON, NULL when removed.
CREATE TABLE sync_conflicts (
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    mine          TEXT,
    theirs        TEXT,
    their_version INTEGER NOT NULL,
    their_author  TEXT NOT NULL DEFAULT '',
    -- 1 when the server refused the change (this login's role may not make it), not a clash.
    refused       INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
    found_at      TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- The team's company CA certificates (DER, hex), published through the team server so that any
-- laptop verifies a colleague's signature — one issued by the PM's CA — even one that never
-- had a signing identity of its own. This copy's own CA is published here when it is created.
CREATE TABLE team_certificates (
    id           TEXT PRIMARY KEY,
    certificate  TEXT NOT NULL CHECK (length(certificate) > 0),
    published_at TEXT NOT NULL
);
INSERT INTO team_certificates (id, certificate, published_at)
SELECT lower(hex(randomblob(16))), lower(hex(certificate)), created_at FROM signing_identities WHERE role = 'authority';
