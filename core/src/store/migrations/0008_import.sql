-- Imports have an identity, so running the same import twice (or again after a kill between
-- the commit and the success message) adds nothing: the file's SHA-256 is remembered with what
-- it added, and a record may carry a stable key of its source system.

ALTER TABLE incidents ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX incidents_by_external_id ON incidents (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE imports (
    sha256      TEXT PRIMARY KEY,
    imported_at TEXT NOT NULL,
    -- The incident numbers the import added, JSON array.
    numbers     TEXT NOT NULL
) WITHOUT ROWID;
