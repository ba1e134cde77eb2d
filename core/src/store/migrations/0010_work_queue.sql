-- The work queue: incidents found by the pinyin of their title and description (`shujuku`
-- finds 数据库), and listed by urgency from an index.

ALTER TABLE incident_text ADD COLUMN pinyin TEXT NOT NULL DEFAULT '';

DROP TRIGGER incident_text_ai;
DROP TRIGGER incident_text_au;
DROP TABLE incident_search;

CREATE VIRTUAL TABLE incident_search USING fts5 (
    title,
    description,
    notes,
    pinyin,
    content = 'incident_text',
    content_rowid = 'rowid',
    tokenize = 'trigram'
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

-- The pinyin is written by the rebuild that follows this migration.
INSERT INTO incident_search (incident_search) VALUES ('rebuild');

-- The terms of IncidentSort::Urgency, in order.
CREATE INDEX incidents_by_urgency
    ON incidents (status = 'closed', next_due_at IS NULL, next_due_at, level, reported_at DESC, number DESC);
