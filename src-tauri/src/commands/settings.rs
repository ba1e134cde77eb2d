use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;
use yunwei_core::error::ErrorReport;
use yunwei_core::settings::{parse_language, Settings};
use yunwei_core::Error;

use super::pick_file;
use crate::AppState;

#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.settings())
}

#[tauri::command]
pub async fn settings_set_language(
    state: State<'_, AppState>,
    language: String,
) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.set_language(parse_language(&language)?))
}

#[tauri::command]
pub async fn settings_set_user_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.set_user_name(&name))
}

/// Makes a team member of the roster the current user (empty: unlink).
#[tauri::command]
pub async fn settings_set_current_person(
    state: State<'_, AppState>,
    id: String,
) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.set_current_person(&id, yunwei_core::now()))
}

#[tauri::command]
pub async fn settings_set_organisation(
    state: State<'_, AppState>,
    name: String,
) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.set_organisation(&name))
}

/// The first-run setup was finished or skipped: it is not offered again.
#[tauri::command]
pub async fn settings_finish_setup(state: State<'_, AppState>) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.finish_setup())
}

/// What the Settings screen shows about this installation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub database_path: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Copies of the database taken before a newer Yunwei migrated it, newest first.
    pub migration_backups: Vec<String>,
    /// The data folder, holding `db/` and `reports/`.
    pub data_dir: String,
    /// The data folder cannot be written: the data is shown, changes are off.
    pub read_only: bool,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, ErrorReport> {
    state.with_store(|s| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database_path: s.path().map(|p| p.display().to_string()).unwrap_or_default(),
            schema_version: s.schema_version()?,
            migration_backups: s
                .path()
                .map(yunwei_core::store::migration_backups)
                .unwrap_or_default()
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            data_dir: s.data_dir().map(|p| p.display().to_string()).unwrap_or_default(),
            read_only: s.read_only(),
        })
    })
}

/// The environment variable that makes the app quit once its first screen has been painted:
/// `tests/bench/first-screen.sh` times a launch to the incident list's content with it.
pub const EXIT_ON_FIRST_SCREEN: &str = "YUNWEI_BENCH_EXIT_ON_FIRST_SCREEN";

/// The window says its first screen (the incident list with its rows) has been painted, with
/// the page's marks on the way (JSON). Under the benchmark the marks go to standard error and
/// the app quits.
#[tauri::command]
pub fn first_screen_shown<R: Runtime>(app: AppHandle<R>, marks: String) {
    if std::env::var_os(EXIT_ON_FIRST_SCREEN).is_some() {
        eprintln!("first screen: {marks}");
        app.exit(0);
    }
}

/// Asks for the organisation's logo (PNG or JPEG, OS file dialog) and keeps it for reports;
/// the settings unchanged when the dialog is cancelled.
#[tauri::command]
pub async fn settings_logo_choose<R: Runtime>(app: AppHandle<R>) -> Result<Settings, ErrorReport> {
    let chosen = pick_file(app.clone(), ("PNG / JPEG", &["png", "jpg", "jpeg"]), |s, path| {
        s.set_logo(&std::fs::read(&path).map_err(|e| Error::file(&path, e))?, yunwei_core::now())
    })
    .await?;
    match chosen {
        Some(settings) => Ok(settings),
        None => app.state::<AppState>().with_store(|s| s.settings()),
    }
}

#[tauri::command]
pub async fn settings_logo_clear(state: State<'_, AppState>) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.clear_logo())
}

/// The logo as a `data:` URL for the preview, if one is set.
#[tauri::command]
pub async fn settings_logo_get(state: State<'_, AppState>) -> Result<Option<String>, ErrorReport> {
    state.with_store(|s| s.logo_data_url())
}
