//! Numbered migrations, embedded in the binary. Each runs in its own transaction and records
//! itself in `PRAGMA user_version` (the authority) and in `schema_migrations` (the history).
//! Never edit a migration that has shipped: add the next number.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
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
    ("0009_sla_final_states", include_str!("migrations/0009_sla_final_states.sql")),
    ("0010_work_queue", include_str!("migrations/0010_work_queue.sql")),
    ("0011_report_drafts", include_str!("migrations/0011_report_drafts.sql")),
    ("0012_first_run", include_str!("migrations/0012_first_run.sql")),
    ("0013_lean_store", include_str!("migrations/0013_lean_store.sql")),
    ("0014_audit", include_str!("migrations/0014_audit.sql")),
    ("0015_inspection", include_str!("migrations/0015_inspection.sql")),
    ("0016_follow_ups", include_str!("migrations/0016_follow_ups.sql")),
    ("0017_categories", include_str!("migrations/0017_categories.sql")),
    ("0018_corrective_actions", include_str!("migrations/0018_corrective_actions.sql")),
    ("0019_contingency", include_str!("migrations/0019_contingency.sql")),
    ("0020_drills", include_str!("migrations/0020_drills.sql")),
    ("0021_team_sync", include_str!("migrations/0021_team_sync.sql")),
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
/// snapshot, WAL included, and returns the copy's path. The copy is written under a temporary
/// name, flushed to disk, then renamed: a kill during it leaves a `.partial` file nobody would
/// restore, never a half-written `.bak`.
pub fn backup_before_migration(
    conn: &Connection,
    path: &Path,
    version: i64,
    now: DateTime<Utc>,
) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}-{stamp}.bak"));
    let backup = path.with_file_name(&name);
    name.push(".partial");
    let partial = path.with_file_name(name);
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| Error::file(&partial, e))?;
    std::fs::rename(&partial, &backup).map_err(|e| Error::file(&backup, e))?;
    if let Some(dir) = backup.parent() {
        // The rename itself reaches the disk with the directory (not possible on Windows).
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(backup)
}

/// The copies taken before migrations in the folder of the database at `path`, newest first.
pub fn migration_backups(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else { return Vec::new() };
    let prefix = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    name.starts_with(&prefix) && name.ends_with(".bak")
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.reverse();
    found
}

/// Applies every migration newer than the file's version, each in its own transaction.
pub fn migrate(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION, now)
}

/// Applies the migrations after the file's version up to `target`.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64, now: DateTime<Utc>) -> Result<()> {
    apply(conn, MIGRATIONS, target, now)
}

/// Applies `migrations` after the file's version up to `target`, each in its own transaction:
/// one that fails leaves the file at the version before it, as it was.
fn apply(conn: &mut Connection, migrations: &[(&str, &str)], target: i64, now: DateTime<Utc>) -> Result<()> {
    let current = schema_version(conn)?;
    refuse_newer(current)?;
    for (index, (name, sql)) in migrations.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (version, name, ts(now)),
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
    fn a_failing_migration_rolls_back_and_leaves_the_version_before_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, &MIGRATIONS[..1], 1, now()).unwrap();
        let broken: &[(&str, &str)] = &[
            MIGRATIONS[0],
            ("0002_broken", "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);"),
        ];
        assert!(apply(&mut conn, broken, 2, now()).is_err());
        assert_eq!(schema_version(&conn).unwrap(), 1, "still version 1");
        let half: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(half, 0, "the failed migration's first statement was rolled back");
        let recorded: i64 =
            conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(recorded, 1);
    }

    #[test]
    fn signed_plan_and_monthly_revisions_cannot_be_changed_or_removed() {
        let store = in_memory_db();
        store.conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let row = "(1, 1, 'N', 'zh-CN', '李强', '2026-11-27T02:00:00.000Z', 'abc', x'25504446')";
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO plan_revisions (plan_id, revision, number, lang, signer, signed_at, sha256, pdf)
                 VALUES {};
                 INSERT INTO monthly_revisions (month, revision, number, lang, signer, signed_at, sha256, pdf)
                 VALUES {};",
                row.replacen("(1, ", "('plan', ", 1),
                row.replacen("(1, ", "('2026-10', ", 1)
            ))
            .unwrap();
        for (table, words) in
            [("plan_revisions", "plan revisions are"), ("monthly_revisions", "monthly report revisions are")]
        {
            for sql in [format!("UPDATE {table} SET pdf = x'00'"), format!("DELETE FROM {table}")] {
                let err = store.conn.execute(&sql, []).unwrap_err();
                assert!(err.to_string().contains(words), "{sql}: {err}");
            }
        }
    }

    #[test]
    fn a_new_file_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("y.db"), now()).unwrap();
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
            let mut store = Store::open(&path, now()).unwrap();
            seed_incidents(&mut store, 2);
        }
        let store = Store::open(&path, now()).unwrap();
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
    fn a_read_only_folder_named_with_uri_characters_is_read_and_a_write_is_refused_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("运维 #1?%20");
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("y.db");
        {
            let mut store = Store::open(&path, now()).unwrap();
            seed_incidents(&mut store, 2);
        }
        assert!(!folder.join("y.db-wal").exists(), "the last writer closed cleanly");
        // As in a folder nobody may write: opened immutable, without the shared-memory file.
        let mut store = Store::open_read_only(&path, true).unwrap();
        assert!(store.read_only());
        assert_eq!(store.list_incidents(&Default::default(), now()).unwrap().total, 2);
        let err = store
            .create_incident(
                &crate::store::testing::new_incident("新故障", "2026-11-27T09:00:00+08:00"),
                now(),
            )
            .unwrap_err();
        assert_eq!(err.code(), "read_only", "{err:?}");
        assert!(err.message(crate::Lang::ZhCn).contains("只读"), "{}", err.message(crate::Lang::ZhCn));
        assert!(!folder.join("y.db-shm").exists() && !folder.join("y.db-wal").exists());
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
        let err = Store::open(&path, now()).err().expect("a newer database is refused");
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
        let store = Store::open(&path, now()).unwrap();
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
            migrate_to(&mut conn, 1, now()).unwrap();
            conn.execute_batch(
                "INSERT INTO incidents (id, number, title, level, channel, reported_at, reporter, description, created_at)
                 VALUES ('a', 'INC-2026-0001', '旧故障', 'II', 'email', '2026-11-27T01:00:00.000Z', '', '旧描述', '2026-11-27T01:00:00.000Z');
                 INSERT INTO incident_events (id, incident_id, kind, occurred_at, recorded_at)
                 VALUES ('e', 'a', 'reported', '2026-11-27T01:00:00.000Z', '2026-11-27T01:00:00.000Z');",
            )
            .unwrap();
        }
        let store = Store::open(&path, now()).unwrap();
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
    fn a_version_12_timeline_reads_the_same_after_the_lean_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate_to(&mut conn, 12, now()).unwrap();
            conn.execute_batch(
                "INSERT INTO incidents (id, number, title, level, opened_level, channel, reported_at, reporter,
                                        description, created_at, seq)
                 VALUES ('0190b6a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b', 'INC-2026-0001', '邮件网关报错', 'II', 'II',
                         'email', '2026-11-27T01:00:00.000Z', '', '', '2026-11-27T01:00:00.000Z', 1);
                 INSERT INTO incident_text (rowid, incident_id, title, description)
                 VALUES (1, '0190b6a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b', '邮件网关报错', '');
                 INSERT INTO incident_events (id, incident_id, kind, payload, actor, occurred_at, recorded_at)
                 VALUES ('0190b6a4-1c2d-7e3f-8a4b-000000000001', '0190b6a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
                         'reported', '{\"kind\":\"reported\"}', NULL,
                         '2026-11-27T01:00:00.000Z', '2026-11-27T01:00:00.123Z'),
                        ('0190b6a4-1c2d-7e3f-8a4b-000000000002', '0190b6a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
                         'assigned', '{\"kind\":\"assigned\",\"person\":\"李强\"}', '王芳',
                         '2026-11-27T01:05:30.250Z', '2026-11-27T01:06:00.000Z');",
            )
            .unwrap();
        }
        let store = Store::open(&path, now()).unwrap();
        let incident = store.get_incident("0190b6a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b", now()).unwrap();
        let events: Vec<_> = incident
            .events
            .iter()
            .map(|e| {
                (e.id.as_str(), e.data.clone(), e.actor.as_deref(), ts(e.occurred_at), ts(e.recorded_at))
            })
            .collect();
        use crate::timeline::EventData;
        assert_eq!(
            events,
            [
                (
                    "0190b6a4-1c2d-7e3f-8a4b-000000000001",
                    EventData::Reported,
                    None,
                    "2026-11-27T01:00:00.000Z".into(),
                    "2026-11-27T01:00:00.123Z".into()
                ),
                (
                    "0190b6a4-1c2d-7e3f-8a4b-000000000002",
                    EventData::Assigned { person: "李强".into(), person_id: None },
                    Some("王芳"),
                    "2026-11-27T01:05:30.250Z".into(),
                    "2026-11-27T01:06:00.000Z".into()
                ),
            ]
        );
        assert_eq!(incident.summary.assignee.as_deref(), Some("李强"), "the projection is rebuilt");
        let count = |pragma: &str| -> i64 { store.conn.query_row(pragma, [], |r| r.get(0)).unwrap() };
        let (free, pages) = (count("PRAGMA freelist_count"), count("PRAGMA page_count"));
        assert!(free * 4 <= pages, "the pages of the old tables are given back: {free} of {pages} free");
        let found = |term: &str| {
            let query = crate::incident::IncidentQuery { search: term.into(), ..Default::default() };
            store.list_incidents(&query, now()).unwrap().total
        };
        assert_eq!(
            (found("网关"), found("网关报错"), found("wangguan")),
            (1, 1, 1),
            "the search indexes are rebuilt"
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        std::fs::write(&path, b"this is a text file, not SQLite, and it is long enough").unwrap();
        let err = Store::open(&path, now()).err().expect("garbage is refused");
        assert_eq!(err.code(), "database_damaged");
    }

    #[test]
    fn a_page_of_random_bytes_is_noticed_on_open_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        let root = {
            let mut store = Store::open(&path, now()).unwrap();
            store.set_organisation("华信运维").unwrap();
            store
                .conn
                .query_row("SELECT rootpage FROM sqlite_master WHERE name = 'settings'", [], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap()
        };
        let mut bytes = std::fs::read(&path).unwrap();
        let page = 4096 * (root as usize - 1);
        let mut rng = crate::quality::SplitMix64(7);
        for b in &mut bytes[page..page + 4096] {
            *b = rng.next() as u8;
        }
        std::fs::write(&path, &bytes).unwrap();
        // The write moves the file's modification time on (here by more than the clock's
        // resolution), so the note of the clean close above no longer vouches for it.
        let later = std::fs::metadata(&path).unwrap().modified().unwrap() + std::time::Duration::from_secs(2);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
        let err = Store::open(&path, now()).err().expect("a damaged file is refused");
        assert_eq!(err.code(), "database_damaged");
        assert!(
            err.message(crate::Lang::ZhCn).contains("已停止向它写入"),
            "{}",
            err.message(crate::Lang::ZhCn)
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "not one byte written to it");
    }

    #[test]
    fn the_copy_before_a_migration_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("yunwei.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        // A kill during an earlier copy left its temporary file.
        std::fs::write(dir.path().join("yunwei.db.v0-20261101T000000.000Z.bak.partial"), b"half").unwrap();
        let backup = backup_before_migration(&conn, &path, 0, now()).unwrap();
        assert_eq!(migration_backups(&path), vec![backup.clone()], "only whole copies are listed");
        let copy = Connection::open(&backup).unwrap();
        assert_eq!(copy.query_row("SELECT x FROM t", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    }
}
