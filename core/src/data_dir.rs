//! The data folder and who may use it at a time.
//!
//! ```text
//! <data dir>/
//!   yunwei.lock     held (flock / LockFileEx) by whoever uses the database
//!   yunwei.owner    "app <pid>" or "command <pid>": who holds it exclusively, for messages
//!   db/yunwei.db    the database with its -wal and -shm, where no file dialog goes
//!   reports/        signed documents archived for people to open
//!   sample/         the sample sandbox, a data folder of its own laid out like this one
//! ```
//!
//! SQLite guards its files with POSIX advisory locks, and on Linux closing *any* descriptor of
//! a file drops every such lock the process holds on it. A GTK file chooser in the app's
//! process sniffs the files of the folder it shows, so after a user browsed the database's
//! folder, another process opening the database would believe it is the last user,
//! checkpoint and delete the WAL the app still writes into: everything saved afterwards is
//! lost. Two defences:
//!
//! - the database lives in `db/`, which no dialog starts in and no user needs to open;
//! - the app holds an exclusive lock on `yunwei.lock` for its lifetime, taken on a descriptor
//!   of its own, which no stray `close()` of another descriptor cancels. Every process that
//!   opens the folder checks it first: a second window refuses (and the shell focuses the
//!   first), a command that changes data refuses while the app runs, and a command that only
//!   reads opens the database read-only and never checkpoints it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{paths, Error, Result};

/// How a process means to use the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The desktop app: alone, for as long as it runs.
    App,
    /// A command that changes data: alone, and never while the app runs.
    Change,
    /// A command that only reads: beside other readers; read-only while the folder is held.
    Read,
}

pub use crate::error::Holder;

impl Holder {
    fn tag(self) -> &'static str {
        match self {
            Holder::App => "app",
            Holder::Command => "command",
        }
    }
}

/// How long a process waits for a command-line run that holds the folder to finish (an import
/// or a signing takes seconds) or for a window that is closing, before saying the folder is busy.
const COMMAND_WAIT: Duration = Duration::from_secs(10);
const RETRY: Duration = Duration::from_millis(50);

/// The files of one data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `dir`, or the default data folder ([`paths::data_dir`]) when `None`; created if missing.
    pub fn resolve(dir: Option<&Path>) -> Result<DataDir> {
        let root = match dir {
            Some(d) => d.to_path_buf(),
            None => paths::data_dir().ok_or(Error::NoDataDir)?,
        };
        std::fs::create_dir_all(&root)?;
        Ok(DataDir { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A name for "the app on this folder" (16 hex digits of the folder's canonical path), so a
    /// second window on the same folder finds the first while one on another folder may open.
    pub fn instance_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let path = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// The sample sandbox: a data folder of its own inside this one (`sample/`).
    pub fn sample_dir(&self) -> PathBuf {
        self.root.join(paths::SAMPLE_SUBDIR)
    }

    /// The folder of the database and its WAL, migration copies and nothing else.
    pub fn db_dir(&self) -> PathBuf {
        self.root.join(paths::DB_SUBDIR)
    }

    /// Where the database lives (`db/yunwei.db`).
    pub fn db_file(&self) -> PathBuf {
        self.db_dir().join(paths::DB_FILE)
    }

    /// Where signed documents are archived (`reports/`).
    pub fn reports_dir(&self) -> PathBuf {
        self.root.join(paths::REPORTS_SUBDIR)
    }

    fn legacy_db_file(&self) -> PathBuf {
        self.root.join(paths::DB_FILE)
    }

    fn owner_file(&self) -> PathBuf {
        self.root.join(paths::OWNER_FILE)
    }

    /// The database file to open for reading when the folder could not be tidied (someone else
    /// holds it): `db/yunwei.db`, or the file of the layout before it if that is all there is.
    pub fn db_file_to_read(&self) -> PathBuf {
        let current = self.db_file();
        let legacy = self.legacy_db_file();
        if !current.exists() && legacy.exists() {
            legacy
        } else {
            current
        }
    }

    /// Takes the folder for `access`. `Change` waits a little for a command that holds it and
    /// refuses at once when the app does; `App` waits for either (a window that is still
    /// closing as the app restarts), and refuses if the folder is still held after `wait`. `Read` never
    /// refuses: it shares the folder with other readers, and while someone holds it exclusively
    /// it gets [`Lease::Shared`] with no lock at all, meaning "open the database read-only".
    pub fn lock(&self, access: Access) -> Result<Lease> {
        self.lock_waiting(access, COMMAND_WAIT)
    }

    /// [`DataDir::lock`], waiting at most `wait` for another holder.
    pub fn lock_waiting(&self, access: Access, wait: Duration) -> Result<Lease> {
        let lock_path = self.root.join(paths::LOCK_FILE);
        let file =
            match OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path) {
                Ok(file) => file,
                Err(e) if is_read_only(&e) => return self.read_only_lease(access),
                Err(e) => return Err(Error::file(&lock_path, e)),
            };
        let deadline = Instant::now() + wait;
        loop {
            let attempt = match access {
                Access::Read => file.try_lock_shared(),
                Access::App | Access::Change => file.try_lock(),
            };
            match attempt {
                Ok(()) => break,
                Err(TryLockError::Error(e)) => return Err(e.into()),
                Err(TryLockError::WouldBlock) => {}
            }
            let holder = self.holder();
            if access == Access::Read {
                return Ok(Lease {
                    lock: None,
                    owner: None,
                    read_only: true,
                    exclusive: false,
                    folder_read_only: false,
                });
            }
            // A command never waits for the app; the app waits for a window that is still
            // closing (a restart) as for a command.
            let refuse_now = access == Access::Change && holder == Some(Holder::App);
            if refuse_now || Instant::now() >= deadline {
                let dir = self.root.display().to_string();
                return Err(match access {
                    Access::App if holder == Some(Holder::App) => Error::AppAlreadyOpen { dir },
                    _ => Error::DataDirBusy { dir, holder: holder.unwrap_or(Holder::Command) },
                });
            }
            std::thread::sleep(RETRY);
        }
        let owner = match access {
            Access::Read => None,
            Access::App | Access::Change => {
                let holder = if access == Access::App { Holder::App } else { Holder::Command };
                let path = self.owner_file();
                let mut owner = File::create(&path)?;
                writeln!(owner, "{} {}", holder.tag(), std::process::id())?;
                Some(path)
            }
        };
        Ok(Lease {
            lock: Some(file),
            owner,
            read_only: false,
            exclusive: access != Access::Read,
            folder_read_only: false,
        })
    }

    /// The folder cannot be written (a read-only share, another user's folder): nobody can
    /// change the database through it, so reading needs no lock; a change is refused.
    fn read_only_lease(&self, access: Access) -> Result<Lease> {
        if access == Access::Change || !self.db_file_to_read().exists() {
            return Err(Error::ReadOnly { dir: self.root.display().to_string() });
        }
        Ok(Lease { lock: None, owner: None, read_only: true, exclusive: false, folder_read_only: true })
    }

    /// Who holds the folder exclusively, as its owner file says; `None` when nobody says.
    fn holder(&self) -> Option<Holder> {
        let text = std::fs::read_to_string(self.owner_file()).ok()?;
        match text.split_whitespace().next()? {
            "app" => Some(Holder::App),
            "command" => Some(Holder::Command),
            _ => None,
        }
    }

    /// Moves a database of the earlier layout (`yunwei.db` at the top of the folder, where file
    /// dialogs list it) into `db/`. Needs the folder held exclusively. The database is first
    /// checkpointed and closed, so its WAL is folded in and gone and the move is one rename;
    /// if a WAL is still there afterwards the files stay where they are, and are used there.
    pub fn move_legacy_database(&self, lease: &Lease) -> Result<()> {
        let legacy = self.legacy_db_file();
        if !lease.exclusive || !legacy.exists() || self.db_file().exists() {
            return Ok(());
        }
        let conn = rusqlite::Connection::open(&legacy)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.close().map_err(|(_, e)| e)?;
        if sidecar(&legacy, "-wal").exists() {
            return Ok(());
        }
        std::fs::create_dir_all(self.db_dir())?;
        let _ = std::fs::remove_file(sidecar(&legacy, "-shm"));
        std::fs::rename(&legacy, self.db_file())?;
        // The copies taken before migrations belong beside the database too.
        for entry in std::fs::read_dir(&self.root)?.flatten() {
            let name = entry.file_name();
            let text = name.to_string_lossy();
            if text.starts_with(paths::DB_FILE) && text.ends_with(".bak") {
                let _ = std::fs::rename(entry.path(), self.db_dir().join(&name));
            }
        }
        Ok(())
    }
}

/// Whether a file could not be opened for writing because the folder or the disk is read-only.
fn is_read_only(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
}

/// `path` with `suffix` appended to its file name (`yunwei.db-wal`).
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A hold on the data folder, released when dropped (closing the lock file's own descriptor
/// releases the lock; no other descriptor can).
#[derive(Debug)]
pub struct Lease {
    lock: Option<File>,
    owner: Option<PathBuf>,
    read_only: bool,
    exclusive: bool,
    folder_read_only: bool,
}

impl Lease {
    /// Someone else holds the folder: open the database read-only and never checkpoint it.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The folder itself cannot be written: nobody changes the database while it stays so.
    pub fn folder_read_only(&self) -> bool {
        self.folder_read_only
    }

    /// This process holds the folder alone (the app, or a command that changes data).
    pub fn exclusive(&self) -> bool {
        self.exclusive
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(owner) = self.owner.take() {
            let _ = std::fs::remove_file(owner);
        }
        self.lock.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        (tmp, dir)
    }

    #[test]
    fn the_app_holds_the_folder_alone() {
        let (_tmp, dir) = folder();
        let app = dir.lock(Access::App).unwrap();
        assert!(!app.read_only());
        match dir.lock_waiting(Access::App, Duration::from_millis(200)) {
            Err(Error::AppAlreadyOpen { .. }) => {}
            other => panic!("a second window is refused, got {other:?}"),
        }
        match dir.lock(Access::Change) {
            Err(Error::DataDirBusy { holder: Holder::App, .. }) => {}
            other => panic!("a changing command is refused while the app runs, got {other:?}"),
        }
        assert!(dir.lock(Access::Read).unwrap().read_only(), "a reading command reads read-only");
        drop(app);
        assert!(!dir.owner_file().exists(), "the owner note goes with the lock");
        assert!(!dir.lock(Access::Change).unwrap().read_only(), "free again once the app closed");
    }

    #[test]
    fn readers_share_and_keep_a_changing_command_waiting() {
        let (_tmp, dir) = folder();
        let first = dir.lock(Access::Read).unwrap();
        let second = dir.lock(Access::Read).unwrap();
        assert!(!first.read_only() && !second.read_only(), "readers share the folder");
        let released = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop((first, second));
        });
        let change = dir.lock(Access::Change).expect("the change waits for the readers to finish");
        assert!(!change.read_only());
        released.join().unwrap();
    }

    #[test]
    fn a_stray_descriptor_closed_does_not_release_the_lock() {
        let (_tmp, dir) = folder();
        let _app = dir.lock(Access::App).unwrap();
        // What a file chooser does: open the lock file and close it again.
        drop(File::open(dir.root().join(paths::LOCK_FILE)).unwrap());
        assert!(matches!(dir.lock(Access::Change), Err(Error::DataDirBusy { .. })));
    }

    #[test]
    fn a_database_of_the_earlier_layout_moves_into_db_with_its_data() {
        let (_tmp, dir) = folder();
        let legacy = dir.root().join(paths::DB_FILE);
        {
            let conn = rusqlite::Connection::open(&legacy).unwrap();
            conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES ('旧');")
                .unwrap();
            std::fs::write(dir.root().join("yunwei.db.v3-20261101T000000.000Z.bak"), b"copy").unwrap();
            // Still open: the WAL holds the row until the move checkpoints it.
            let lease = dir.lock(Access::App).unwrap();
            drop(conn);
            dir.move_legacy_database(&lease).unwrap();
        }
        assert!(!legacy.exists() && !sidecar(&legacy, "-wal").exists());
        assert!(dir.db_dir().join("yunwei.db.v3-20261101T000000.000Z.bak").exists());
        let conn = rusqlite::Connection::open(dir.db_file()).unwrap();
        let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, "旧");
    }

    #[test]
    fn a_reader_of_a_folder_not_yet_moved_reads_the_old_file() {
        let (_tmp, dir) = folder();
        assert_eq!(dir.db_file_to_read(), dir.db_file());
        std::fs::write(dir.root().join(paths::DB_FILE), b"").unwrap();
        assert_eq!(dir.db_file_to_read(), dir.root().join(paths::DB_FILE));
    }
}
