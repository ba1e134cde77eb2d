//! The store: one SQLite file, opened in WAL mode with foreign keys on, migrated on open.
//!
//! All SQL of the application lives in this folder, one file per table family, so a second
//! backend (PostgreSQL) stays one folder's work.

pub mod audit;
pub mod backup;
mod categories;
mod clean_close;
mod contingency;
mod corrective;
mod drafts;
mod drills;
mod followups;
mod incidents;
pub mod inspection;
pub(crate) mod migrate;
mod people;
mod quality;
mod settings;
mod signing;
mod sla;
mod sync;
mod team_records;
mod training;

pub use signing::{IdentityRole, IdentityRow, NewRevision};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::data_dir::{Access, DataDir, Lease};
use crate::error::Missing;
use crate::{paths, Error, Result};

pub use migrate::{migration_backups, SCHEMA_VERSION};
pub use settings::SAMPLE_PREFIX;

/// How long a write waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    backup: Option<PathBuf>,
    /// Where signed documents are archived; `None` in memory.
    reports_dir: Option<PathBuf>,
    read_only: bool,
    /// The hold on the data folder; declared last so the connection closes before it goes.
    lease: Option<Lease>,
}

impl Store {
    /// Opens the database of the desktop app in `dir` (or [`paths::data_dir`] when `None`),
    /// holding the folder for as long as the store lives: refused while another window has it.
    pub fn open_app(dir: Option<&Path>, now: DateTime<Utc>) -> Result<Store> {
        Store::open_data_dir(dir, Access::App, now)
    }

    /// Opens the database in the data folder `dir` (or [`paths::data_dir`]) for `access`
    /// (see [`crate::data_dir`]): moves a database of the earlier layout into `db/` when it may,
    /// and opens it read-only, never checkpointing, when a reader finds the folder held. `now`
    /// stamps a migration, if one runs.
    pub fn open_data_dir(dir: Option<&Path>, access: Access, now: DateTime<Utc>) -> Result<Store> {
        let data = DataDir::resolve(dir)?;
        let lease = data.lock(access)?;
        let mut store = if lease.read_only() {
            Store::open_read_only(&data.db_file_to_read(), lease.folder_read_only())?
        } else if lease.exclusive() {
            data.move_legacy_database(&lease)?;
            std::fs::create_dir_all(data.db_dir())?;
            Store::open(&data.db_file(), now)?
        } else {
            std::fs::create_dir_all(data.db_dir())?;
            Store::open(&data.db_file_to_read(), now)?
        };
        store.reports_dir = Some(data.reports_dir());
        store.lease = Some(lease);
        Ok(store)
    }

    /// Opens (creating if needed) the database file at `path` and brings its schema up to
    /// date. An existing file is copied beside itself before any migration touches it; a file
    /// written by a newer Yunwei is refused untouched. `now` stamps the copy and the migrations.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Store> {
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        // Taken before anything can write: from here on, only the next clean close vouches.
        let closed_cleanly = clean_close::take(path);
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if !closed_cleanly {
            check_not_damaged(&conn, path)?;
        }
        let version = migrate::schema_version(&conn)?;
        migrate::refuse_newer(version)?;
        // WAL lets the UI read while a write is under way; it persists in the file.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt(format!("journal mode stays {mode}")));
        }
        let backup = if existed && version < SCHEMA_VERSION {
            Some(migrate::backup_before_migration(&conn, path, version, now)?)
        } else {
            None
        };
        let migrated = backup.is_some();
        let mut store = Store::with_connection(conn, Some(path));
        store.backup = backup;
        store.prepare(now)?;
        if migrated {
            // New projection columns start empty: fill them from the timelines.
            store.rebuild_projections(now)?;
            store.reclaim_free_pages()?;
        }
        Ok(store)
    }

    /// Opens the database at `path` for reading only, while another process holds the data
    /// folder or the folder cannot be written: no migration, and closing never checkpoints or
    /// deletes the WAL, which belongs to the holder. In a read-only folder SQLite cannot create
    /// the shared-memory file a WAL database needs; with no WAL left to read (the last writer
    /// closed cleanly) the file is opened as immutable, which needs none.
    fn open_read_only(path: &Path, folder_read_only: bool) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NotFound { what: Missing::File, id: path.display().to_string() });
        }
        let flags =
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let wal_len = std::fs::metadata(crate::data_dir::sidecar(path, "-wal")).map(|m| m.len()).unwrap_or(0);
        let conn = if folder_read_only && wal_len == 0 {
            Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags)?
        } else {
            Connection::open_with_flags(path, flags)?
        };
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if !clean_close::vouches(path) {
            check_not_damaged(&conn, path)?;
        }
        migrate::refuse_newer(migrate::schema_version(&conn)?)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let mut store = Store::with_connection(conn, Some(path));
        store.read_only = true;
        Ok(store)
    }

    fn with_connection(conn: Connection, path: Option<&Path>) -> Store {
        Store {
            conn,
            path: path.map(Path::to_path_buf),
            backup: None,
            reports_dir: path.and_then(Path::parent).map(|p| p.join(paths::REPORTS_SUBDIR)),
            read_only: false,
            lease: None,
        }
    }

    /// A private database in memory, for tests and previews, created at `now`.
    pub fn open_in_memory(now: DateTime<Utc>) -> Result<Store> {
        let mut store = Store::with_connection(Connection::open_in_memory()?, None);
        store.prepare(now)?;
        Ok(store)
    }

    /// Brings the schema up to date and seeds the contract's SLA policy as version 1 in a new
    /// file, both stamped `now`.
    fn prepare(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        audit::register(&self.conn)?;
        migrate::migrate(&mut self.conn, now)?;
        audit::install(&self.conn)?;
        sla::seed_policy(&self.conn, now)
    }

    /// Gives the disk back the pages a migration freed when they are over a quarter of the
    /// file (a migration that rewrites the big tables leaves the old ones' pages free).
    fn reclaim_free_pages(&self) -> Result<()> {
        let free: i64 = self.conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        if free * 4 > pages {
            self.conn.execute_batch("VACUUM")?;
        }
        Ok(())
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Closes the database but keeps the hold on the data folder, so that the file can be
    /// swapped while nobody else opens it (a restore); [`ClosedStore::reopen`] opens it again.
    pub fn close_keeping_folder(mut self) -> Result<ClosedStore> {
        if self.read_only {
            return Err(Error::ReadOnly {
                dir: self.data_dir().map(|d| d.display().to_string()).unwrap_or_default(),
            });
        }
        let path = self.path.clone().ok_or(Error::NoDataDir)?;
        let closed = ClosedStore { path, reports_dir: self.reports_dir.take(), lease: self.lease.take() };
        drop(self);
        Ok(closed)
    }

    /// The copy taken before this open migrated an older file, if it did.
    pub fn backup_path(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// The data folder this store belongs to (the parent of `reports/`), `None` in memory.
    pub fn data_dir(&self) -> Option<&Path> {
        self.reports_dir.as_deref().and_then(Path::parent)
    }

    /// Whether this store only reads (another process holds the data folder).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Where signed documents are archived (`reports/` of the data folder).
    pub fn reports_dir(&self) -> Result<&Path> {
        self.reports_dir.as_deref().ok_or(Error::NoDataDir)
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrate::schema_version(&self.conn)
    }
}

/// A database closed with its data folder still held (see [`Store::close_keeping_folder`]).
pub struct ClosedStore {
    path: PathBuf,
    reports_dir: Option<PathBuf>,
    lease: Option<Lease>,
}

impl ClosedStore {
    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the file again (migrating it if it is older), handing the folder's hold to the
    /// new store; on failure the hold stays here, so the caller can put the file back and try
    /// again.
    pub fn reopen(&mut self, now: DateTime<Utc>) -> Result<Store> {
        let mut store = Store::open(&self.path, now)?;
        store.reports_dir = self.reports_dir.clone();
        store.lease = self.lease.take();
        Ok(store)
    }
}

impl Drop for Store {
    /// Lets SQLite refresh its planner statistics where the data changed enough to matter
    /// (cheap when nothing changed), as SQLite recommends before closing a connection; then
    /// closes the file and, when the close left it whole (no WAL behind), says so beside it.
    fn drop(&mut self) {
        if self.read_only {
            return;
        }
        let _ = self.conn.execute_batch("PRAGMA optimize");
        let (Some(path), Ok(placeholder)) = (self.path.as_deref(), Connection::open_in_memory()) else {
            return;
        };
        if std::mem::replace(&mut self.conn, placeholder).close().is_ok() {
            clean_close::record(path);
        }
    }
}

/// `path` as the path part of an SQLite `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut uri = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri
}

/// Refuses a damaged file before anything is written to it: `PRAGMA quick_check` (the b-tree
/// structure of every page, without the slower index cross-checks of `integrity_check`). It
/// reads the whole file (seconds at 100,000 incidents), so an open after a clean close that
/// nothing has touched since skips it (see [`clean_close`]).
fn check_not_damaged(conn: &Connection, path: &Path) -> Result<()> {
    let damaged = |detail: String| Error::Damaged { path: path.display().to_string(), detail };
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|e| {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                damaged(e.to_string())
            }
            _ => Error::Db(e),
        }
    })?;
    if verdict != "ok" {
        return Err(damaged(verdict));
    }
    Ok(())
}

/// Formats an instant the one way the store writes times, so text order is time order.
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant written by [`ts`].
fn parse_ts(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt(format!("time {text:?}")))
}

/// An instant as the store keeps the times only the code reads (events, milestone facts):
/// milliseconds since 1970, UTC.
fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Reads an instant written by [`ms`].
fn from_ms(value: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(value).ok_or_else(|| Error::Corrupt(format!("time {value}")))
}

/// A record kept whole as JSON.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

/// Reads a record written by [`to_json`].
fn from_json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T> {
    serde_json::from_str(data).map_err(|e| Error::Corrupt(e.to_string()))
}

/// The current version of every record of a versioned table (`id`, `version`, `data` as JSON,
/// `created_at`): the built-ins first, each replaced by its saved version if it has one, then
/// the records made here in the order they were made.
fn current_versions<T: serde::de::DeserializeOwned>(
    conn: &rusqlite::Connection,
    table: &'static str,
    builtins: Vec<T>,
    id: impl Fn(&T) -> &str,
) -> Result<Vec<T>> {
    let mut stored: Vec<T> = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT data FROM {table} t WHERE version = (SELECT max(version) FROM {table} WHERE id = t.id)
         ORDER BY created_at"
    ))?;
    for data in stmt.query_map([], |r| r.get::<_, String>(0))? {
        stored.push(from_json(&data?)?);
    }
    let builtin_ids: Vec<String> = builtins.iter().map(|b| id(b).to_owned()).collect();
    let (mut saved, made_here): (Vec<T>, Vec<T>) =
        stored.into_iter().partition(|s| builtin_ids.iter().any(|b| b == id(s)));
    let mut list: Vec<T> = builtins
        .into_iter()
        .map(|builtin| match saved.iter().position(|s| id(s) == id(&builtin)) {
            Some(i) => saved.swap_remove(i),
            None => builtin,
        })
        .collect();
    list.extend(made_here);
    Ok(list)
}

/// A new id: UUIDv7, time-ordered and unique across machines.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Fixtures shared by the store's tests.
    use super::*;
    use crate::incident::NewIncident;
    use chrono::TimeZone;

    /// Runs SQL straight on the file, as a tool outside Yunwei could.
    pub fn execute_sql(store: &Store, sql: &str) -> rusqlite::Result<usize> {
        store.conn.execute(sql, [])
    }

    pub fn in_memory_db() -> Store {
        Store::open_in_memory(now()).expect("in-memory database")
    }

    /// 2026-11-27 10:00 in Shanghai.
    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap()
    }

    pub fn new_incident(title: &str, reported_at: &str) -> NewIncident {
        NewIncident {
            title: title.into(),
            level: "III".into(),
            channel: "email".into(),
            reported_at: reported_at.into(),
            reporter: "测试".into(),
            description: String::new(),
            system: String::new(),
        }
    }

    /// `n` incidents reported one hour apart, the last one at [`now`].
    pub fn seed_incidents(store: &mut Store, n: i64) {
        for i in 0..n {
            let at = now() - chrono::Duration::hours(n - 1 - i);
            // Rules and figures are checked at the fixed `now`, like the rest of the fixtures.
            store
                .create_incident(&new_incident(&format!("故障 {i}"), &at.to_rfc3339()), now())
                .expect("seed incident");
        }
    }
}
