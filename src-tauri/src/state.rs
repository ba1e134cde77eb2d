//! The one piece of state the shell holds: the open database (or why it could not be opened).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tauri::{AppHandle, Manager, Runtime};
use yunwei_core::data_dir::DataDir;
use yunwei_core::error::ErrorReport;
use yunwei_core::signing::Signer;
use yunwei_core::store::Store;
use yunwei_core::{Lang, Result};

pub struct AppState {
    store: std::result::Result<Mutex<Store>, yunwei_core::Error>,
    /// Names the app on this data folder, for the single-instance guard.
    instance_key: String,
    /// The signing key, when the user chose to keep it unlocked for this session.
    signer: Mutex<Option<Signer>>,
}

impl AppState {
    /// Opens the database in `data_dir` (or the default data directory), holding the folder
    /// for the app's lifetime. A failure is kept and reported by every command, so the window
    /// still opens and says what is wrong.
    pub fn open(data_dir: Option<&Path>) -> AppState {
        let instance_key = DataDir::resolve(data_dir).map(|d| d.instance_key()).unwrap_or_default();
        AppState { store: Store::open_app(data_dir).map(Mutex::new), instance_key, signer: Mutex::new(None) }
    }

    pub fn from_store(store: Store) -> AppState {
        AppState { store: Ok(Mutex::new(store)), instance_key: String::new(), signer: Mutex::new(None) }
    }

    pub fn instance_key(&self) -> &str {
        &self.instance_key
    }

    /// Runs `f` on the store and renders any error in the user's language.
    ///
    /// Each call is one short SQLite transaction (milliseconds), so it runs on the async
    /// command's worker thread instead of `spawn_blocking`; long work (PDF export, imports)
    /// must move to `spawn_blocking`.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T, ErrorReport> {
        let mutex = self.store.as_ref().map_err(|e| e.report(Lang::default()))?;
        let mut store = lock(mutex);
        f(&mut store).map_err(|e| {
            let lang = store.settings().map(|s| s.language).unwrap_or_default();
            e.report(lang)
        })
    }
}

impl AppState {
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
