//! Thin `#[tauri::command]` adapters, one module per domain: parse, call one core function,
//! return its value or an `ErrorReport` (`{ code, message, fields }`).

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use yunwei_core::error::ErrorReport;
use yunwei_core::store::Store;
use yunwei_core::{Error, Lang, Result};

use crate::state::{blocking, AppState};

pub mod audit;
pub mod backup;
pub mod contingency;
pub mod incidents;
pub mod inspection;
pub mod people;
pub mod quality;
pub mod reports;
pub mod settings;
pub mod sla;
pub mod team;
pub mod training;

/// The OS save dialog, proposing `name`; `None` when cancelled. Blocks: call off the main thread.
fn save_dialog<R: Runtime>(app: &AppHandle<R>, name: &str, (label, extensions): Filter) -> Option<PathBuf> {
    dialog(app)
        .set_file_name(name)
        .add_filter(label, extensions)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// The OS open dialog for one file; `None` when cancelled. Blocks: call off the main thread.
fn pick_dialog<R: Runtime>(app: &AppHandle<R>, (label, extensions): Filter) -> Option<PathBuf> {
    dialog(app).add_filter(label, extensions).blocking_pick_file().and_then(|p| p.into_path().ok())
}

/// The OS folder dialog; `None` when cancelled. Blocks: call off the main thread.
fn pick_folder_dialog<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    dialog(app).blocking_pick_folder().and_then(|p| p.into_path().ok())
}

/// The file types a dialog offers: a label and the extensions.
pub(crate) type Filter = (&'static str, &'static [&'static str]);

/// A file for the user to save: the name the dialog proposes, its type and its bytes.
pub(crate) struct Download {
    pub name: String,
    pub filter: Filter,
    pub bytes: Vec<u8>,
    /// Open it in the system viewer once written.
    pub open: bool,
}

/// Saves a file the user asked for: `gather` reads it from the store under the store's lock;
/// the lock is released before the OS save dialog asks where, so the window's reads and the
/// alert watcher go on while the user browses folders; then the file is written (and opened).
/// `None` when the dialog is cancelled.
pub(crate) async fn save_file<R: Runtime>(
    app: AppHandle<R>,
    gather: impl FnOnce(&mut Store) -> Result<Download> + Send + 'static,
) -> Result<Option<String>, ErrorReport> {
    save_file_with(app, gather, |app, name, filter| save_dialog(app, name, filter)).await
}

/// [`save_file`] with the dialog given (the tests answer it themselves).
async fn save_file_with<R: Runtime>(
    app: AppHandle<R>,
    gather: impl FnOnce(&mut Store) -> Result<Download> + Send + 'static,
    ask: impl FnOnce(&AppHandle<R>, &str, Filter) -> Option<PathBuf> + Send + 'static,
) -> Result<Option<String>, ErrorReport> {
    let (download, lang) =
        blocking(app.clone(), move |s, _| Ok((gather(s)?, s.settings()?.language))).await?;
    off_the_main_thread(lang, move || {
        let Some(path) = ask(&app, &download.name, download.filter) else { return Ok(None) };
        std::fs::write(&path, &download.bytes).map_err(|e| Error::file(&path, e))?;
        if download.open {
            open_in_viewer(&app, &path)?;
        }
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Asks for one file with the store free (see [`save_file`]), notes it as chosen, then runs `f`
/// on it under the store's lock. `None` when the dialog is cancelled.
pub(crate) async fn pick_file<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    filter: Filter,
    f: impl FnOnce(&mut Store, PathBuf) -> Result<T> + Send + 'static,
) -> Result<Option<T>, ErrorReport> {
    let handle = app.clone();
    let picked = off_the_main_thread(Lang::default(), move || Ok(pick_dialog(&handle, filter))).await?;
    let Some(path) = picked else { return Ok(None) };
    app.state::<AppState>().remember_chosen(&path);
    blocking(app, move |s, _| f(s, path).map(Some)).await
}

/// Runs `f` on a blocking thread without the store; errors in `lang`.
async fn off_the_main_thread<T: Send + 'static>(
    lang: Lang,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::Corrupt(e.to_string()).report(lang))?
        .map_err(|e| e.report(lang))
}

/// Opens `path` in the system's viewer for its type.
pub(crate) fn open_in_viewer<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<()> {
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))
}

/// A file dialog that starts in the user's Documents folder. Never in the data directory: a
/// GTK chooser opens and closes the files of the folder it shows, in the app's process, and
/// closing a descriptor of the database drops SQLite's locks on it.
fn dialog<R: Runtime>(app: &AppHandle<R>) -> tauri_plugin_dialog::FileDialogBuilder<R> {
    let builder = app.dialog().file();
    match yunwei_core::paths::documents_dir() {
        Some(dir) => builder.set_directory(dir),
        None => builder,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use tauri::test::{mock_builder, mock_context, noop_assets};

    use super::*;

    /// While the save dialog is open (here: until the test answers it), the store is free: a
    /// read from the window completes at once instead of waiting for the user.
    #[test]
    fn the_store_is_free_while_a_save_dialog_is_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.txt");
        let app = mock_builder()
            .manage(AppState::from_store(Store::open_in_memory(yunwei_core::now()).expect("store")))
            .build(mock_context(noop_assets()))
            .expect("mock app");
        let handle = app.handle().clone();
        let (opened, dialog_open) = mpsc::channel();
        let (answer, answered) = mpsc::channel::<Option<PathBuf>>();
        let saving = std::thread::spawn(move || {
            tauri::async_runtime::block_on(save_file_with(
                handle,
                |s| {
                    Ok(Download {
                        name: "out.txt".into(),
                        filter: ("Text", &["txt"]),
                        bytes: s.settings()?.organisation.into_bytes(),
                        open: false,
                    })
                },
                move |_, name, _| {
                    assert_eq!(name, "out.txt");
                    opened.send(()).expect("signal");
                    answered.recv().expect("the answer")
                },
            ))
        });
        dialog_open.recv_timeout(Duration::from_secs(10)).expect("the dialog opens");
        let (read, done) = mpsc::channel();
        let state = app.handle().clone();
        std::thread::spawn(move || {
            let _ = read.send(state.state::<AppState>().with_store(|s| s.settings()).is_ok());
        });
        assert_eq!(
            done.recv_timeout(Duration::from_secs(5)),
            Ok(true),
            "a read completes while the dialog is open"
        );
        answer.send(Some(target.clone())).expect("answer");
        let saved = saving.join().expect("join").expect("saved");
        assert_eq!(saved.as_deref(), Some(target.to_str().expect("utf-8")));
        assert!(target.exists(), "written after the dialog");
    }
}
