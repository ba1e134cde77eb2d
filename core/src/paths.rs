//! Where Yunwei keeps its files.

use std::path::PathBuf;

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "YUNWEI_DATA_DIR";

/// The application identifier; also the folder name under the OS app-data directory, so the
/// desktop app and the command line find the same database.
pub const APP_ID: &str = "com.yunwei.desktop";

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "yunwei.db";

/// The data directory: `$YUNWEI_DATA_DIR` when set and not empty, else the OS app-data
/// directory (`~/.local/share/com.yunwei.desktop` on Linux). `None` only when the OS has no
/// home directory, which the caller reports.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(APP_ID)),
    }
}
