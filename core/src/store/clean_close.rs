//! The note a clean close leaves beside the database (`yunwei.db-closed`): the file's length
//! and modification time once SQLite had closed it with no WAL behind. An open that finds the
//! file exactly so has nothing new to check for damage: the last writer left it whole and no
//! program has written to it since (any write changes the modification time). The note is
//! removed when the file is opened for writing, before anything can write, so a crash while
//! open leaves no note and the next open checks the whole file.

use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::data_dir::sidecar;

const SUFFIX: &str = "-closed";

/// The file's length and modification time (nanoseconds since 1970), as the note spells them.
fn fingerprint(db: &Path) -> Option<String> {
    let meta = std::fs::metadata(db).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{} {}", meta.len(), modified.as_nanos()))
}

/// Whether the note vouches for `db` as it is now: written by a clean close, and neither the
/// file changed nor a WAL appeared since.
pub(super) fn vouches(db: &Path) -> bool {
    let wal_empty = std::fs::metadata(sidecar(db, "-wal")).map(|m| m.len() == 0).unwrap_or(true);
    let note = std::fs::read_to_string(sidecar(db, SUFFIX)).ok();
    wal_empty && note.is_some() && note == fingerprint(db)
}

/// [`vouches`], removing the note: the file is being opened for writing.
pub(super) fn take(db: &Path) -> bool {
    let vouched = vouches(db);
    let note = sidecar(db, SUFFIX);
    if std::fs::remove_file(&note).is_err() && note.exists() {
        // A note that cannot be removed would vouch for writes it never saw.
        return false;
    }
    vouched
}

/// Writes the note after a close, if the close left no WAL behind (another connection still
/// open keeps it, and then the file is not at rest). A note that cannot be written only costs
/// the next open its check.
pub(super) fn record(db: &Path) {
    if sidecar(db, "-wal").exists() {
        return;
    }
    if let Some(fingerprint) = fingerprint(db) {
        let _ = std::fs::write(sidecar(db, SUFFIX), fingerprint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::now;
    use crate::store::Store;
    use std::time::Duration;

    #[test]
    fn a_clean_close_vouches_until_the_file_is_opened_or_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        let mut store = Store::open(&path, now()).unwrap();
        assert!(!vouches(&path), "nothing vouches for a file while it is open");
        store.set_organisation("华信运维").unwrap();
        drop(store);
        assert!(vouches(&path), "a clean close leaves its note");

        let store = Store::open(&path, now()).unwrap();
        assert!(!sidecar(&path, SUFFIX).exists(), "opening for writing takes the note away");
        drop(store);
        assert!(vouches(&path));

        // Any later write moves the modification time on.
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::fs::metadata(&path).unwrap().modified().unwrap() + Duration::from_secs(2))
            .unwrap();
        assert!(!vouches(&path), "a file changed after the close is checked again");
    }

    #[test]
    fn a_close_that_leaves_a_wal_behind_vouches_for_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        let mut store = Store::open(&path, now()).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0)).unwrap();
        store.set_organisation("华信运维").unwrap();
        drop(store);
        assert!(!vouches(&path), "another connection keeps the WAL: the file is not at rest");
        drop(other);
    }
}
