//! Thin `#[tauri::command]` adapters, one module per domain: parse, call one core function,
//! return its value or an `ErrorReport` (`{ code, message, fields }`).

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

pub mod incidents;
pub mod people;
pub mod quality;
pub mod reports;
pub mod settings;
pub mod sla;
pub mod training;

/// The OS save dialog, proposing `name`; `None` when cancelled. Blocks: call off the main thread.
pub(crate) fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    name: &str,
    (label, extensions): (&str, &[&str]),
) -> Option<PathBuf> {
    dialog(app)
        .set_file_name(name)
        .add_filter(label, extensions)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// The OS open dialog for one file; `None` when cancelled. Blocks: call off the main thread.
pub(crate) fn pick_dialog<R: Runtime>(
    app: &AppHandle<R>,
    (label, extensions): (&str, &[&str]),
) -> Option<PathBuf> {
    dialog(app).add_filter(label, extensions).blocking_pick_file().and_then(|p| p.into_path().ok())
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
