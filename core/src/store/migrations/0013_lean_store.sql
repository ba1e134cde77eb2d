-- A leaner store (5.2 KB per incident at 100,000 → about 2.2 KB). Inside the file an incident's
-- rows are found by its integer `seq` rather than its 36-character text id, times that only the
-- code reads are milliseconds since 1970 (UTC), event ids are the UUID's 16 bytes, and the
-- search index keeps which incidents hold a term, not where (the term is checked on the text).

-- Events: clustered with their incident (one b-tree, no second index), in insertion order
-- (UUIDv7 ids are time-ordered). The payload is the event's fields without its kind (the kind
-- column says it); NULL when the event has none.
CREATE TABLE incident_events_lean (
    incident_seq INTEGER NOT NULL REFERENCES incidents (seq),
    id           BLOB NOT NULL CHECK (length(id) = 16),
    kind         TEXT NOT NULL,
    payload      TEXT,
    actor        TEXT,
    occurred_at  INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (incident_seq, id)
) WITHOUT ROWID;

INSERT INTO incident_events_lean (incident_seq, id, kind, payload, actor, occurred_at, recorded_at)
SELECT i.seq,
       -- Yunwei wrote UUIDs; anything else gets a fresh id (events are ordered by time first).
       coalesce(CASE WHEN length(unhex(replace(e.id, '-', ''))) = 16 THEN unhex(replace(e.id, '-', '')) END,
                randomblob(16)),
       e.kind,
       nullif(json_remove(e.payload, '$.kind'), '{}'),
       e.actor,
       CAST(round(unixepoch(e.occurred_at, 'subsec') * 1000) AS INTEGER),
       CAST(round(unixepoch(e.recorded_at, 'subsec') * 1000) AS INTEGER)
FROM incident_events e JOIN incidents i ON i.id = e.incident_id
ORDER BY i.seq, e.id;

DROP TRIGGER incident_events_no_update;
DROP TRIGGER incident_events_no_delete;
DROP TABLE incident_events;
ALTER TABLE incident_events_lean RENAME TO incident_events;

CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;

CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;

-- Milestone facts are a projection: the rebuild after this migration fills the new table.
DROP TABLE milestone_facts;
CREATE TABLE milestone_facts (
    incident_seq INTEGER NOT NULL REFERENCES incidents (seq),
    kind         TEXT NOT NULL,
    level        TEXT NOT NULL,
    due_at       INTEGER,
    met_at       INTEGER,
    used_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_seq, kind)
) WITHOUT ROWID;
CREATE INDEX milestone_facts_by_cell ON milestone_facts (kind, level, due_at, met_at);
CREATE INDEX milestone_facts_by_due ON milestone_facts (due_at, met_at);

-- Searchable text, keyed by the incident's seq alone (the text id and its index go).
DROP TRIGGER incident_text_ai;
DROP TRIGGER incident_text_au;
DROP TABLE incident_search;
CREATE TABLE incident_text_lean (
    rowid       INTEGER PRIMARY KEY REFERENCES incidents (seq),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    pinyin      TEXT NOT NULL DEFAULT ''
);
INSERT INTO incident_text_lean (rowid, title, description, notes, pinyin)
SELECT rowid, title, description, notes, pinyin FROM incident_text ORDER BY rowid;
DROP TABLE incident_text;
ALTER TABLE incident_text_lean RENAME TO incident_text;

-- Trigrams find the incidents holding every trigram of a term of three or more characters;
-- the query then checks the term itself on incident_text.
CREATE VIRTUAL TABLE incident_search USING fts5 (
    title,
    description,
    notes,
    pinyin,
    content = 'incident_text',
    content_rowid = 'rowid',
    tokenize = 'trigram',
    detail = 'none'
);

CREATE TRIGGER incident_text_ai AFTER INSERT ON incident_text BEGIN
    INSERT INTO incident_search (rowid, title, description, notes, pinyin)
    VALUES (new.rowid, new.title, new.description, new.notes, new.pinyin);
END;

CREATE TRIGGER incident_text_au AFTER UPDATE ON incident_text BEGIN
    INSERT INTO incident_search (incident_search, rowid, title, description, notes, pinyin)
    VALUES ('delete', old.rowid, old.title, old.description, old.notes, old.pinyin);
    INSERT INTO incident_search (rowid, title, description, notes, pinyin)
    VALUES (new.rowid, new.title, new.description, new.notes, new.pinyin);
END;

INSERT INTO incident_search (incident_search) VALUES ('rebuild');

-- Two-character terms (a Chinese word is often two): every pair of adjacent letters or digits
-- of the text, written by the code as one hex token each. Filled by the rebuild that follows.
CREATE VIRTUAL TABLE incident_pairs USING fts5 (
    pairs,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    detail = 'none'
);

-- The list's time order and the quality figures by report time share one index.
DROP INDEX incidents_by_time;
DROP INDEX incidents_by_reported_response;
CREATE INDEX incidents_by_time ON incidents (reported_at, number, level, response_seconds, channel);
