//! The one piece of state the shell holds: the open database (or why it could not be opened).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use ts_rs::TS;
use yunwei_core::app::sample;
use yunwei_core::data_dir::{Access, DataDir};
use yunwei_core::error::ErrorReport;
use yunwei_core::signing::Signer;
use yunwei_core::store::Store;
use yunwei_core::{Error, Lang, Result};

/// The sample sandbox as the window sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SandboxStatus {
    /// Open in place of the real record.
    pub active: bool,
    /// Its folder exists (open or not).
    pub exists: bool,
}

pub struct AppState {
    /// Opened on first use, which comes after the single-instance guard ran: a second window
    /// hands over to the first without ever touching the data folder.
    store: OnceLock<std::result::Result<Mutex<Store>, yunwei_core::Error>>,
    data_dir: Option<PathBuf>,
    /// Names the app on this data folder, for the single-instance guard.
    instance_key: String,
    /// The signing key, when the user chose to keep it unlocked for this session.
    signer: Mutex<Option<Signer>>,
    /// Set once SQLite reports the file damaged: from then on nothing reaches the store.
    damaged: OnceLock<yunwei_core::Error>,
    /// Files the user chose in an OS dialog the Rust side opened, or dropped on the window: the
    /// only paths a command from the page may read.
    chosen: Mutex<HashSet<PathBuf>>,
    /// While the sample sandbox is open in its place: the real store, kept open (its folder
    /// held) until the user goes back to it.
    real: Mutex<Option<Store>>,
    /// Made around a store of no data folder (tests): there is no folder for a sandbox either.
    detached: bool,
    /// Held while a backup run, a restore or its undo is under way: one at a time.
    backup: Mutex<()>,
    /// The team server's password for this session (kept in the OS keyring too, never in the
    /// database).
    team_password: Mutex<Option<String>>,
}

impl AppState {
    /// The app on `data_dir` (or the default data directory). The database is opened, and the
    /// folder held for the app's lifetime, on first use; a failure is kept and reported by
    /// every command, so the window still opens and says what is wrong.
    pub fn open(data_dir: Option<&Path>) -> AppState {
        let instance_key = DataDir::resolve(data_dir).map(|d| d.instance_key()).unwrap_or_default();
        AppState {
            store: OnceLock::new(),
            data_dir: data_dir.map(Path::to_path_buf),
            instance_key,
            signer: Mutex::new(None),
            damaged: OnceLock::new(),
            chosen: Mutex::default(),
            real: Mutex::default(),
            detached: false,
            backup: Mutex::default(),
            team_password: Mutex::default(),
        }
    }

    pub fn from_store(store: Store) -> AppState {
        AppState {
            store: OnceLock::from(Ok(Mutex::new(store))),
            data_dir: None,
            instance_key: String::new(),
            signer: Mutex::new(None),
            damaged: OnceLock::new(),
            chosen: Mutex::default(),
            real: Mutex::default(),
            detached: true,
            backup: Mutex::default(),
            team_password: Mutex::default(),
        }
    }

    pub fn instance_key(&self) -> &str {
        &self.instance_key
    }

    /// Runs `f` on the store and renders any error in the user's language. Once the database
    /// was found damaged, every later call is refused with that finding, so nothing more is
    /// written into a file SQLite calls malformed.
    ///
    /// Each call is one short SQLite transaction (milliseconds), so it runs on the async
    /// command's worker thread instead of `spawn_blocking`; long work (PDF export, imports)
    /// must move to `spawn_blocking`.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T, ErrorReport> {
        let opened = self
            .store
            .get_or_init(|| Store::open_app(self.data_dir.as_deref(), yunwei_core::now()).map(Mutex::new));
        let mutex = opened.as_ref().map_err(|e| e.report(Lang::default()))?;
        if let Some(damage) = self.damaged.get() {
            return Err(damage.report(Lang::default()));
        }
        let mut store = lock(mutex);
        f(&mut store).map_err(|e| match e {
            Error::Damaged { detail, .. } => {
                let path = store.path().map(|p| p.display().to_string()).unwrap_or_default();
                let damage = self.damaged.get_or_init(|| Error::Damaged { path, detail });
                damage.report(Lang::default())
            }
            e => e.report(store.settings().map(|s| s.language).unwrap_or_default()),
        })
    }
}

impl AppState {
    /// Whether the sample sandbox is open in place of the real record, and whether it exists.
    pub fn sandbox_status(&self) -> Result<SandboxStatus, ErrorReport> {
        let active = self.real.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some();
        let exists =
            sample::sandbox_exists(self.data_dir.as_deref()).map_err(|e| e.report(Lang::default()))?;
        Ok(SandboxStatus { active, exists })
    }

    /// Puts the sample sandbox (filled when new) in place of the real store, which stays open
    /// behind it. A key kept unlocked for the session belongs to the other database: forgotten.
    pub fn enter_sandbox(&self, now: chrono::DateTime<chrono::Utc>) -> Result<SandboxStatus, ErrorReport> {
        self.with_store(|store| {
            if self.detached {
                return Err(Error::NoDataDir);
            }
            let mut real = self.real.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if real.is_none() {
                let lang = store.settings()?.language;
                let sandbox = sample::open_sandbox(self.data_dir.as_deref(), Access::App, lang, now)?;
                *real = Some(std::mem::replace(store, sandbox));
                self.with_kept_signer(|kept| *kept = None);
            }
            Ok(())
        })?;
        self.sandbox_status()
    }

    /// Puts the real store back; with `remove`, deletes the sandbox's folder too.
    pub fn leave_sandbox(&self, remove: bool) -> Result<SandboxStatus, ErrorReport> {
        self.with_store(|store| {
            if let Some(real) = self.real.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
                // The sandbox's store is dropped here, releasing its folder.
                drop(std::mem::replace(store, real));
                self.with_kept_signer(|kept| *kept = None);
            }
            if remove {
                sample::remove_sandbox(self.data_dir.as_deref())?;
            }
            Ok(())
        })?;
        self.sandbox_status()
    }

    /// Notes that the user chose (or dropped) `path`, so the page may ask to read it.
    pub fn remember_chosen(&self, path: &Path) {
        self.chosen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(path.to_path_buf());
    }

    /// `path` when the user chose or dropped it; refused otherwise, so a page that was
    /// tricked into asking cannot read any file it names.
    pub fn chosen(&self, path: &str) -> Result<PathBuf> {
        let path = PathBuf::from(path);
        let known = self.chosen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).contains(&path);
        if known {
            Ok(path)
        } else {
            Err(Error::FileNotChosen { path: path.display().to_string() })
        }
    }

    /// The right to run a backup, restore or undo now; `None` while one is under way.
    pub fn backup_running(&self) -> Option<MutexGuard<'_, ()>> {
        match self.backup.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// Runs `f` with the team server's password kept for the session, if any.
    pub fn with_team_password<T>(&self, f: impl FnOnce(&mut Option<String>) -> T) -> T {
        f(&mut self.team_password.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Runs `f` with the session's unlocked signing key, if one is kept.
    pub fn with_kept_signer<T>(&self, f: impl FnOnce(&mut Option<Signer>) -> T) -> T {
        f(&mut self.signer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// Runs `f` on the store on a blocking thread: for work that takes more than a few
/// milliseconds (rendering and signing PDFs, scrypt key derivation).
pub async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&mut Store, &AppState) -> Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.with_store(|store| f(store, &state))
    })
    .await
    .map_err(|e| yunwei_core::Error::Corrupt(e.to_string()).report(Lang::default()))?
}

/// A poisoned lock only means an earlier call panicked; every write is a transaction, so the
/// store itself is consistent and can go on being used.
fn lock(mutex: &Mutex<Store>) -> MutexGuard<'_, Store> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_takes_the_real_records_place_and_leaves_it_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(Some(dir.path()));
        state.with_store(|s| s.set_organisation("真实单位")).unwrap();
        let status = state.enter_sandbox(yunwei_core::now()).unwrap();
        assert_eq!(status, SandboxStatus { active: true, exists: true });
        let sandbox = state.with_store(|s| s.settings()).unwrap();
        assert!(sandbox.sample && sandbox.organisation.contains("示例"), "{sandbox:?}");
        assert_eq!(state.enter_sandbox(yunwei_core::now()).unwrap(), status, "entering twice is once");
        // Back, the sandbox kept; then back again and removed.
        assert_eq!(state.leave_sandbox(false).unwrap(), SandboxStatus { active: false, exists: true });
        let real = state.with_store(|s| s.settings()).unwrap();
        assert!(!real.sample && real.organisation == "真实单位");
        state.enter_sandbox(yunwei_core::now()).unwrap();
        assert_eq!(state.leave_sandbox(true).unwrap(), SandboxStatus { active: false, exists: false });
        assert!(!dir.path().join("sample").exists());
        assert_eq!(state.with_store(|s| s.settings()).unwrap().organisation, "真实单位");
    }

    #[test]
    fn once_the_file_is_found_damaged_nothing_more_reaches_the_store() {
        let state = AppState::from_store(Store::open_in_memory(yunwei_core::now()).expect("store"));
        assert!(state.with_store(|s| s.settings()).is_ok());
        let damage =
            Error::Damaged { path: String::new(), detail: "database disk image is malformed".into() };
        let first = state.with_store(|_| -> Result<()> { Err(damage) }).unwrap_err();
        assert_eq!(first.code, "database_damaged");
        let mut reached = false;
        let later = state.with_store(|s| {
            reached = true;
            s.set_organisation("写入损坏的文件")
        });
        assert_eq!(later.unwrap_err().code, "database_damaged");
        assert!(!reached, "the store was not touched again");
    }
}
