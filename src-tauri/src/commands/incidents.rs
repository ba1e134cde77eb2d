use tauri::{AppHandle, Manager, Runtime, State};
use yunwei_core::error::ErrorReport;
use yunwei_core::incident::{Incident, IncidentCounts, IncidentPage, IncidentQuery, NewIncident};
use yunwei_core::settings::parse_language;
use yunwei_core::timeline::NewEvent;

use crate::AppState;

#[tauri::command]
pub async fn incident_list(
    state: State<'_, AppState>,
    query: IncidentQuery,
) -> Result<IncidentPage, ErrorReport> {
    state.with_store(|s| s.list_incidents(&query, yunwei_core::now()))
}

#[tauri::command]
pub async fn incident_get(state: State<'_, AppState>, id: String) -> Result<Incident, ErrorReport> {
    state.with_store(|s| s.get_incident(&id, yunwei_core::now()))
}

#[tauri::command]
pub async fn incident_create(
    state: State<'_, AppState>,
    input: NewIncident,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| s.create_incident(&input, yunwei_core::now()))
}

/// Records what happened (responded, paused, resolved, …); returns the incident as it is now.
#[tauri::command]
pub async fn incident_event_add(
    state: State<'_, AppState>,
    id: String,
    event: NewEvent,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| s.append_event(&id, &event, yunwei_core::now()))
}

/// Writes the incident report (unsigned PDF) beside the database; returns the file's path.
#[tauri::command]
pub async fn incident_report_export<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
) -> Result<String, ErrorReport> {
    // Rendering parses a 10 MB font the first time and lays out pages: keep it off the
    // async runtime's workers so other commands stay responsive.
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<AppState>().with_store(|s| {
            let lang = parse_language(&language)?;
            Ok(s.export_incident_report(&id, lang, yunwei_core::now())?.display().to_string())
        })
    })
    .await
    .map_err(|e| yunwei_core::Error::Corrupt(e.to_string()).report(yunwei_core::Lang::default()))?
}

/// Counts by level, status and deadline for the dashboard.
#[tauri::command]
pub async fn incident_counts(state: State<'_, AppState>) -> Result<IncidentCounts, ErrorReport> {
    state.with_store(|s| s.incident_counts(yunwei_core::now()))
}

/// Adds the sample incidents; returns how many.
#[tauri::command]
pub async fn sample_data_load(state: State<'_, AppState>) -> Result<usize, ErrorReport> {
    state.with_store(|s| s.load_sample_data(yunwei_core::now()))
}
