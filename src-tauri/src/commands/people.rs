//! People, the team structure, and the on-call rota.

use chrono::{DateTime, NaiveDate, Utc};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use yunwei_core::error::ErrorReport;
use yunwei_core::i18n::SERVICE_TZ;
use yunwei_core::people::{Person, PersonForm};
use yunwei_core::roster::{Override, Rotation, RotationForm};
use yunwei_core::store::{CertificateAlert, OnDuty, OverrideForm, PeopleQuery, Rota, TeamStructure};
use yunwei_core::{Error, FieldError};

use crate::state::blocking;
use crate::AppState;

fn today() -> NaiveDate {
    yunwei_core::now().with_timezone(&SERVICE_TZ).date_naive()
}

#[tauri::command]
pub async fn people_list(state: State<'_, AppState>, query: PeopleQuery) -> Result<Vec<Person>, ErrorReport> {
    state.with_store(|s| s.list_people(&query, today()))
}

#[tauri::command]
pub async fn person_get(state: State<'_, AppState>, id: String) -> Result<Person, ErrorReport> {
    state.with_store(|s| s.get_person(&id))
}

/// Creates (`id` = `null`) or updates a person.
#[tauri::command]
pub async fn person_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: PersonForm,
) -> Result<Person, ErrorReport> {
    state.with_store(|s| match &id {
        Some(id) => s.update_person(id, &form, yunwei_core::now()),
        None => s.create_person(&form, yunwei_core::now()),
    })
}

#[tauri::command]
pub async fn team_structure(state: State<'_, AppState>) -> Result<TeamStructure, ErrorReport> {
    state.with_store(|s| s.team_structure(today()))
}

#[tauri::command]
pub async fn certificate_alerts(state: State<'_, AppState>) -> Result<Vec<CertificateAlert>, ErrorReport> {
    state.with_store(|s| s.certificate_alerts(today()))
}

#[tauri::command]
pub async fn rotations_list(state: State<'_, AppState>) -> Result<Vec<Rotation>, ErrorReport> {
    state.with_store(|s| s.rotations())
}

#[tauri::command]
pub async fn rotation_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: RotationForm,
) -> Result<Rotation, ErrorReport> {
    state.with_store(|s| s.save_rotation(id.as_deref(), &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn rotation_delete(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    state.with_store(|s| s.delete_rotation(&id))
}

#[tauri::command]
pub async fn override_add(state: State<'_, AppState>, form: OverrideForm) -> Result<Override, ErrorReport> {
    state.with_store(|s| s.add_override(&form, yunwei_core::now()))
}

#[tauri::command]
pub async fn override_delete(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    state.with_store(|s| s.delete_override(&id))
}

#[tauri::command]
pub async fn overrides_list(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<Override>, ErrorReport> {
    state.with_store(|s| {
        let (from, to) = period(&from, &to)?;
        s.overrides(from, to)
    })
}

/// Duties, names and the coverage check for `[from, to)` (RFC 3339).
#[tauri::command]
pub async fn rota_get(state: State<'_, AppState>, from: String, to: String) -> Result<Rota, ErrorReport> {
    state.with_store(|s| {
        let (from, to) = period(&from, &to)?;
        s.rota(from, to)
    })
}

#[tauri::command]
pub async fn on_duty_now(state: State<'_, AppState>) -> Result<OnDuty, ErrorReport> {
    state.with_store(|s| s.on_duty(yunwei_core::now()))
}

/// Asks where to save the rota of `[from, to)` (one person's shifts when `person_id` is
/// given) as `.ics`, and writes it; `None` if cancelled.
#[tauri::command]
pub async fn rota_export_ics<R: Runtime>(
    app: AppHandle<R>,
    from: String,
    to: String,
    person_id: Option<String>,
) -> Result<Option<String>, ErrorReport> {
    let handle = app.clone();
    blocking(app, move |s, _| {
        let (from, to) = period(&from, &to)?;
        let ics = s.rota_ics(from, to, person_id.as_deref(), yunwei_core::now())?;
        let picked = handle
            .dialog()
            .file()
            .set_file_name("yunwei-rota.ics")
            .add_filter("iCalendar", &["ics"])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok());
        let Some(path) = picked else { return Ok(None) };
        std::fs::write(&path, ics)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

fn period(from: &str, to: &str) -> yunwei_core::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |field: &'static str, text: &str| {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            Error::Validation(vec![FieldError::new(field, yunwei_core::error::Rule::InvalidTime)])
        })
    };
    Ok((parse("from", from)?, parse("to", to)?))
}
