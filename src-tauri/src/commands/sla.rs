use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use yunwei_core::calendar::WorkingCalendar;
use yunwei_core::error::ErrorReport;
use yunwei_core::sla::SlaPolicy;

use crate::AppState;

/// The SLA policy new incidents open under, and the working calendar.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SlaSettings {
    #[ts(type = "number")]
    pub policy_version: i64,
    pub policy: SlaPolicy,
    pub calendar: WorkingCalendar,
}

#[tauri::command]
pub async fn sla_settings_get(state: State<'_, AppState>) -> Result<SlaSettings, ErrorReport> {
    state.with_store(|s| {
        let (policy_version, policy) = s.sla_policy()?;
        Ok(SlaSettings { policy_version, policy, calendar: s.working_calendar()? })
    })
}

/// Stores an edited policy as a new version; returns the version.
#[tauri::command]
pub async fn sla_policy_save(state: State<'_, AppState>, policy: SlaPolicy) -> Result<i64, ErrorReport> {
    state.with_store(|s| s.save_sla_policy(&policy, yunwei_core::now()))
}

#[tauri::command]
pub async fn calendar_save(state: State<'_, AppState>, calendar: WorkingCalendar) -> Result<(), ErrorReport> {
    state.with_store(|s| s.save_working_calendar(&calendar))
}

/// Adds the holidays of an `.ics` file's text; returns how many were new.
#[tauri::command]
pub async fn calendar_import_ics(state: State<'_, AppState>, text: String) -> Result<usize, ErrorReport> {
    state.with_store(|s| s.import_holidays_ics(&text).map(|(_, added)| added))
}
