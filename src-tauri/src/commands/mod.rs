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
    app.dialog()
        .file()
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
    app.dialog().file().add_filter(label, extensions).blocking_pick_file().and_then(|p| p.into_path().ok())
}
