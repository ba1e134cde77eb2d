-- The audit trail (变更记录) of every record other than incidents: written by the triggers the
-- store generates per audited table (store/audit.rs), sealed into a hash chain by the trigger
-- below, and append-only.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,   -- milliseconds since 1970, UTC
    actor     TEXT NOT NULL,      -- the user name set in Settings at the time
    action    TEXT NOT NULL,      -- create / update / remove, or an action of the app
    entity    TEXT NOT NULL,      -- the table (or backup)
    entity_id TEXT NOT NULL,
    before    TEXT,               -- JSON object of the row before, NULL for a creation
    after     TEXT,               -- JSON object of the row after, NULL for a removal
    hash      BLOB                -- SHA-256 of the previous hash and this entry's fields
);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TRIGGER audit_log_seal AFTER INSERT ON audit_log WHEN NEW.hash IS NULL BEGIN
    UPDATE audit_log SET hash = yw_audit_hash(
        COALESCE((SELECT hash FROM audit_log WHERE seq < NEW.seq ORDER BY seq DESC LIMIT 1), zeroblob(32)),
        NEW.seq, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.before, NEW.after)
    WHERE seq = NEW.seq;
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
