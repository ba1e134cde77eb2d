//! The SQL side of backups: a page-faithful snapshot of a database file taken while it is in
//! use (SQLite's online backup API), and the checks of a copy before it counts as a backup.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{check_not_damaged, migrate};
use crate::{Error, Result};

/// Pages copied per step: small enough for progress to move, large enough not to crawl.
const PAGES_PER_STEP: std::os::raw::c_int = 512;

/// How far a snapshot has come, in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub done: u64,
    pub total: u64,
}

/// Copies the database at `source` into a new file `dest`, page for page, while other
/// connections go on reading and writing it: one read transaction holds the source still, so
/// the copy is the database as it stood when the snapshot began. `progress` hears after every
/// step. The copy is written to disk (fsync) before this returns.
pub fn snapshot(source: &Path, dest: &Path, mut progress: impl FnMut(Copied)) -> Result<()> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    src.busy_timeout(Duration::from_secs(5))?;
    // The read transaction fixes the snapshot: writers carry on in the WAL, unseen here.
    src.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM sqlite_schema;")?;
    let _ = std::fs::remove_file(dest);
    let mut dst = Connection::open(dest)?;
    {
        let backup = Backup::new(&src, &mut dst)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            let total = u64::try_from(p.pagecount).unwrap_or(0);
            let left = u64::try_from(p.remaining).unwrap_or(0);
            progress(Copied { done: total - left.min(total), total });
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => std::thread::sleep(Duration::from_millis(20)),
                // A variant added by a later rusqlite: wait as for busy.
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    src.execute_batch("COMMIT")?;
    // A copy in rollback-journal mode: one file, nothing beside it.
    dst.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    dst.close().map_err(|(_, e)| Error::from(e))?;
    std::fs::File::open(dest).and_then(|f| f.sync_all()).map_err(|e| Error::file(dest, e))?;
    Ok(())
}

/// What a check of a copy found: it is sound (integrity and foreign keys), and it holds these
/// rows per table at this schema version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyCheck {
    pub schema_version: i64,
    pub rows: BTreeMap<String, u64>,
}

/// Checks the database file at `path` (a snapshot or a rebuilt backup) without changing it:
/// `PRAGMA integrity_check` and `foreign_key_check` must find nothing, and every table is
/// counted. A damaged copy is [`Error::Damaged`].
pub fn check_copy(path: &Path) -> Result<CopyCheck> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let damaged = |detail: String| Error::Damaged { path: path.display().to_string(), detail };
    check_not_damaged(&conn, path)?;
    let verdict: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(damaged(verdict));
    }
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if broken > 0 {
        return Err(damaged(format!("{broken} rows break a foreign key")));
    }
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rows = BTreeMap::new();
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |r| r.get(0))?;
        rows.insert(table, u64::try_from(n).unwrap_or(0));
    }
    Ok(CopyCheck { schema_version: migrate::schema_version(&conn)?, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_snapshot_taken_while_another_connection_writes_is_the_database_at_its_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("yunwei.db");
        let store = Store::open(&db, crate::store::testing::now()).expect("store");
        let writer = Connection::open(&db).expect("writer");
        // Over one step's worth of pages, so the write below lands between steps.
        writer
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1), (zeroblob(4000000));")
            .expect("table");
        let copy = dir.path().join("copy.db");
        let mut steps = 0;
        snapshot(&db, &copy, |c| {
            steps += 1;
            if steps == 1 {
                // A write in the middle of the copy is not in it.
                writer.execute("INSERT INTO t VALUES (2)", []).expect("insert");
            }
            assert!(c.done <= c.total);
        })
        .expect("snapshot");
        let check = check_copy(&copy).expect("sound");
        assert!(steps > 1, "{steps} steps");
        assert_eq!(check.rows["t"], 2);
        assert_eq!(check.schema_version, store.schema_version().expect("version"));
        assert!(!crate::data_dir::sidecar(&copy, "-wal").exists());
    }

    #[test]
    fn a_damaged_copy_fails_its_check() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("yunwei.db");
        drop(Store::open(&db, crate::store::testing::now()).expect("store"));
        let copy = dir.path().join("copy.db");
        snapshot(&db, &copy, |_| {}).expect("snapshot");
        let mut bytes = std::fs::read(&copy).expect("read");
        let page = 4096;
        for b in &mut bytes[page + 8..page + 64] {
            *b ^= 0x5a;
        }
        std::fs::write(&copy, bytes).expect("write");
        assert!(matches!(check_copy(&copy), Err(Error::Damaged { .. })));
    }
}
