use tauri::{AppHandle, Manager, Runtime, State};
use yunwei_core::app::incidents::{self, ClockEnder};
use yunwei_core::error::ErrorReport;
use yunwei_core::followup::{FollowUp, FollowUpForm};
use yunwei_core::incident::{Incident, IncidentCounts, IncidentPage, IncidentQuery, NewIncident};
use yunwei_core::sla::MilestoneReport;
use yunwei_core::timeline::{EventForm, NewEvent};

use crate::state::SandboxStatus;
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
    event: EventForm,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| incidents::record_event(s, &id, &NewEvent::from(event), yunwei_core::now()))
}

/// The milestones that resolving or closing incident `id` now would leave missed for good,
/// in the language of Settings: what the dialog asks the user to confirm.
#[tauri::command]
pub async fn incident_milestones_ended_by(
    state: State<'_, AppState>,
    id: String,
    ender: ClockEnder,
) -> Result<Vec<MilestoneReport>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        incidents::milestones_ended_by(s, &id, ender, yunwei_core::now(), lang)
    })
}

/// Counts by level, status and deadline for the dashboard.
#[tauri::command]
pub async fn incident_counts(state: State<'_, AppState>) -> Result<IncidentCounts, ErrorReport> {
    state.with_store(|s| s.incident_counts(yunwei_core::now()))
}

/// Whether the sample sandbox is open, and whether it exists.
#[tauri::command]
pub async fn sandbox_status(state: State<'_, AppState>) -> Result<SandboxStatus, ErrorReport> {
    state.sandbox_status()
}

/// Opens the sample sandbox (filled when new) in place of the real record.
#[tauri::command]
pub async fn sandbox_enter<R: Runtime>(app: AppHandle<R>) -> Result<SandboxStatus, ErrorReport> {
    // Filling a new sandbox renders nothing but writes a few hundred rows: off the IPC thread.
    tauri::async_runtime::spawn_blocking(move || app.state::<AppState>().enter_sandbox(yunwei_core::now()))
        .await
        .map_err(|e| yunwei_core::Error::Corrupt(e.to_string()).report(yunwei_core::Lang::default()))?
}

/// Goes back to the real record; with `remove`, deletes the sandbox.
#[tauri::command]
pub async fn sandbox_leave(state: State<'_, AppState>, remove: bool) -> Result<SandboxStatus, ErrorReport> {
    state.leave_sandbox(remove)
}

/// Records a follow-up call (回访) of closed incident `id`.
#[tauri::command]
pub async fn follow_up_add(
    state: State<'_, AppState>,
    id: String,
    form: FollowUpForm,
) -> Result<FollowUp, ErrorReport> {
    state.with_store(|s| yunwei_core::app::followup::record(s, &id, &form, yunwei_core::now()))
}

/// The follow-up calls of incident `id`, oldest first.
#[tauri::command]
pub async fn follow_ups_list(state: State<'_, AppState>, id: String) -> Result<Vec<FollowUp>, ErrorReport> {
    state.with_store(|s| s.follow_ups(&id))
}
