use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use yunwei_core::error::ErrorReport;
use yunwei_core::settings::{parse_language, Settings};

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

#[tauri::command]
pub async fn settings_set_organisation(
    state: State<'_, AppState>,
    name: String,
) -> Result<Settings, ErrorReport> {
    state.with_store(|s| s.set_organisation(&name))
}

/// What the Settings screen shows about this installation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub database_path: String,
    #[ts(type = "number")]
    pub schema_version: i64,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, ErrorReport> {
    state.with_store(|s| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database_path: s.path().map(|p| p.display().to_string()).unwrap_or_default(),
            schema_version: s.schema_version()?,
        })
    })
}
