//! Numbered migrations, embedded in the binary. Each runs in its own transaction and records
//! itself in `PRAGMA user_version` (the authority) and in `schema_migrations` (the history).
//! Never edit a migration that has shipped: add the next number.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::ts;
use crate::{Error, Result};

/// `(name, sql)`; the version of entry `i` is `i + 1`.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    ("0002_sla", include_str!("migrations/0002_sla.sql")),
    ("0003_signing", include_str!("migrations/0003_signing.sql")),
    ("0004_report_header", include_str!("migrations/0004_report_header.sql")),
    ("0005_people", include_str!("migrations/0005_people.sql")),
    ("0006_training", include_str!("migrations/0006_training.sql")),
    ("0007_quality", include_str!("migrations/0007_quality.sql")),
    ("0008_import", include_str!("migrations/0008_import.sql")),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Refuses a database from a newer Yunwei before anything writes to it.
pub fn refuse_newer(version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Copies the database beside itself (`yunwei.db.v1-20261127T020000Z.bak`) as a consistent
/// snapshot, WAL included, and returns the copy's path.
pub fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let stamp = crate::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}-{stamp}.bak"));
    let backup = path.with_file_name(name);
    conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()])?;
    Ok(backup)
}

/// Applies every migration newer than the file's version, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Applies the migrations after the file's version up to `target`.
fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = schema_version(conn)?;
    refuse_newer(current)?;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (version, name, ts(crate::now())),
        )?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::*;
    use crate::store::Store;

    fn table_names(store: &Store) -> Vec<String> {
        let mut stmt =
            store.conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn migrates_an_empty_database_to_the_latest_version() {
        let store = in_memory_db();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let tables = table_names(&store);
        for t in ["incidents", "incident_events", "settings", "number_sequences", "schema_migrations"] {
            assert!(tables.iter().any(|n| n == t), "table {t} exists after migration: {tables:?}");
        }
        let recorded: i64 =
            store.conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(recorded, SCHEMA_VERSION, "every applied migration is recorded");
    }

    #[test]
    fn a_new_file_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("y.db")).unwrap();
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        assert!(store.backup_path().is_none(), "a new file needs no backup");
    }

    #[test]
    fn reopening_keeps_data_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        {
            let mut store = Store::open(&path).unwrap();
            seed_incidents(&mut store, 2);
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.backup_path().is_none(), "an up-to-date file is not copied");
        assert_eq!(
            store.list_incidents(&Default::default(), now()).unwrap().total,
            2,
            "data survives a reopen"
        );
        let recorded: i64 =
            store.conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(recorded, SCHEMA_VERSION, "no migration ran twice");
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().expect("a newer database is refused");
        assert!(matches!(err, Error::SchemaTooNew { found: 99, supported: SCHEMA_VERSION }), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file is not modified");
        assert!(!dir.path().join("y.db-wal").exists(), "not even switched to WAL");
    }

    #[test]
    fn an_older_file_is_copied_before_migrating() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        {
            // A file from before the first migration: it holds data but has version 0.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE notes (text); INSERT INTO notes VALUES ('旧数据');").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let backup = store.backup_path().expect("a backup was taken").to_path_buf();
        let name = backup.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("y.db.v0-") && name.ends_with(".bak"), "{name}");
        let copy = Connection::open(&backup).unwrap();
        let text: String = copy.query_row("SELECT text FROM notes", [], |r| r.get(0)).unwrap();
        assert_eq!(text, "旧数据", "the backup holds the data as it was");
        assert_eq!(schema_version(&copy).unwrap(), 0, "the backup keeps the old version");
    }

    #[test]
    fn a_version_1_file_with_incidents_migrates_to_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate_to(&mut conn, 1).unwrap();
            conn.execute_batch(
                "INSERT INTO incidents (id, number, title, level, channel, reported_at, reporter, description, created_at)
                 VALUES ('a', 'INC-2026-0001', '旧故障', 'II', 'email', '2026-11-27T01:00:00.000Z', '', '旧描述', '2026-11-27T01:00:00.000Z');
                 INSERT INTO incident_events (id, incident_id, kind, occurred_at, recorded_at)
                 VALUES ('e', 'a', 'reported', '2026-11-27T01:00:00.000Z', '2026-11-27T01:00:00.000Z');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.backup_path().is_some(), "the version-1 file was copied first");
        let incident = store.get_incident("a", now()).unwrap();
        assert_eq!(incident.opened_level, crate::incident::Level::II);
        assert!(!incident.milestones.is_empty(), "the SLA engine runs on old incidents");
        let found = store
            .list_incidents(
                &crate::incident::IncidentQuery { search: "旧描述".into(), ..Default::default() },
                now(),
            )
            .unwrap();
        assert_eq!(found.total, 1, "old incidents are searchable");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        std::fs::write(&path, b"this is a text file, not SQLite, and it is long enough").unwrap();
        let err = Store::open(&path).err().expect("garbage is refused");
        assert_eq!(err.code(), "database");
    }
}
