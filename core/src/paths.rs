//! Where Yunwei keeps its files.

use std::path::PathBuf;

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "YUNWEI_DATA_DIR";

/// The application identifier; also the folder name under the OS app-data directory, so the
/// desktop app and the command line find the same database.
pub const APP_ID: &str = "com.yunwei.desktop";

/// The database file's name inside [`DB_SUBDIR`].
pub const DB_FILE: &str = "yunwei.db";

/// The folder of the database inside the data directory: no file dialog starts there, so none
/// opens (and closes) the database's files in the app's process.
pub const DB_SUBDIR: &str = "db";

/// The folder of archived signed documents inside the data directory.
pub const REPORTS_SUBDIR: &str = "reports";

/// The sample sandbox's own data folder inside the data directory.
pub const SAMPLE_SUBDIR: &str = "sample";

/// The file whose lock says the data directory is in use (see [`crate::data_dir`]).
pub const LOCK_FILE: &str = "yunwei.lock";

/// Beside the lock: who holds it exclusively, so a refusal can say who.
pub const OWNER_FILE: &str = "yunwei.owner";

/// The data directory: `$YUNWEI_DATA_DIR` when set and not empty, else the OS app-data
/// directory (`~/.local/share/com.yunwei.desktop` on Linux). `None` only when the OS has no
/// home directory, which the caller reports.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(APP_ID)),
    }
}

/// Where open and save dialogs start: the user's Documents folder (never the data directory,
/// whose files a dialog would open and close in the app's process), else the home folder.
pub fn documents_dir() -> Option<PathBuf> {
    dirs::document_dir().or_else(dirs::home_dir)
}
