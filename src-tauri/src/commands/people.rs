//! People, the team structure, and the on-call rota.

use chrono::{DateTime, NaiveDate, Utc};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use yunwei_core::app::{documents, people};
use yunwei_core::error::ErrorReport;
use yunwei_core::i18n::SERVICE_TZ;
use yunwei_core::people::import::{read_sheet, Column, ImportPreview};
use yunwei_core::people::{CertificateAlert, PeopleQuery, Person, PersonForm, PersonKind, TeamStructure};
use yunwei_core::roster::{OnDuty, Override, OverrideForm, Rota, Rotation, RotationForm};
use yunwei_core::{Error, FieldError};

use super::{pick_file, save_file, Download};
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
    state.with_store(|s| people::team_structure(s, today()))
}

#[tauri::command]
pub async fn certificate_alerts(state: State<'_, AppState>) -> Result<Vec<CertificateAlert>, ErrorReport> {
    state.with_store(|s| people::certificate_alerts(s, today()))
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
        people::rota(s, from, to)
    })
}

#[tauri::command]
pub async fn on_duty_now(state: State<'_, AppState>) -> Result<OnDuty, ErrorReport> {
    state.with_store(|s| people::on_duty(s, yunwei_core::now()))
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
    save_file(app, move |s| {
        let (from, to) = period(&from, &to)?;
        let lang = s.settings()?.language;
        let ics = people::rota_ics(s, from, to, person_id.as_deref(), lang, yunwei_core::now())?;
        Ok(Download {
            name: "yunwei-rota.ics".into(),
            filter: ("iCalendar", &["ics"]),
            bytes: ics.into(),
            open: false,
        })
    })
    .await
}

fn period(from: &str, to: &str) -> yunwei_core::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |field: &'static str, text: &str| {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            Error::invalid(
                vec![FieldError::new(field, yunwei_core::error::Rule::InvalidTime)],
                yunwei_core::roster::labels,
            )
        })
    };
    Ok((parse("from", from)?, parse("to", to)?))
}

/// A file chosen for import and what importing it would do.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ImportFileCheck {
    pub path: String,
    pub preview: ImportPreview,
}

/// Progress of an import, sent while it runs.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// Asks for a spreadsheet (.xlsx/.xls/.ods/.csv) and previews its import with the columns
/// matched from the headers; `None` if cancelled.
#[tauri::command]
pub async fn people_import_pick<R: Runtime>(
    app: AppHandle<R>,
    kind: PersonKind,
) -> Result<Option<ImportFileCheck>, ErrorReport> {
    pick_file(app, ("Excel / CSV", &["xlsx", "xls", "ods", "csv"]), move |s, path| {
        let sheet = read_sheet(
            &std::fs::read(&path).map_err(|e| Error::file(&path, e))?,
            &path.display().to_string(),
        )?;
        let lang = s.settings()?.language;
        let preview = people::preview_people_import(s, &sheet, None, kind, lang)?;
        Ok(ImportFileCheck { path: path.display().to_string(), preview })
    })
    .await
}

/// The preview again with the columns mapped by hand.
#[tauri::command]
pub async fn people_import_preview<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    mapping: Vec<Option<Column>>,
    kind: PersonKind,
) -> Result<ImportPreview, ErrorReport> {
    blocking(app, move |s, state| {
        let file = state.chosen(&path)?;
        let sheet = read_sheet(&std::fs::read(&file).map_err(|e| Error::file(&file, e))?, &path)?;
        let lang = s.settings()?.language;
        people::preview_people_import(s, &sheet, Some(&mapping), kind, lang)
    })
    .await
}

/// Imports the file: every row or none; progress goes to `on_progress`.
#[tauri::command]
pub async fn people_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    mapping: Vec<Option<Column>>,
    kind: PersonKind,
    on_progress: Channel<ImportProgress>,
) -> Result<usize, ErrorReport> {
    blocking(app, move |s, state| {
        let file = state.chosen(&path)?;
        let sheet = read_sheet(&std::fs::read(&file).map_err(|e| Error::file(&file, e))?, &path)?;
        let lang = s.settings()?.language;
        people::import_people(s, &sheet, &mapping, kind, lang, yunwei_core::now(), |done, total| {
            let _ = on_progress.send(ImportProgress { done, total });
        })
    })
    .await
}

/// Asks where to save the roster (people matching `query`) as .xlsx; `None` if cancelled.
#[tauri::command]
pub async fn people_export_xlsx<R: Runtime>(
    app: AppHandle<R>,
    query: PeopleQuery,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let xlsx = people::export_people_xlsx(s, &query, today(), lang)?;
        let name = lang.pick("人员名册.xlsx", "roster.xlsx").into();
        Ok(Download { name, filter: ("Excel", &["xlsx"]), bytes: xlsx, open: false })
    })
    .await
}

/// Asks where to save the rota of `year`-`month` as a printable PDF (A4 landscape) and writes
/// it; `None` if cancelled.
#[tauri::command]
pub async fn rota_export_pdf<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    month: u32,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
            Error::invalid(
                vec![FieldError::new("month", yunwei_core::error::Rule::InvalidDate)],
                yunwei_core::roster::labels,
            )
        })?;
        let lang = s.settings()?.language;
        let pdf = documents::rota_month_pdf(s, first, lang, yunwei_core::now())?;
        let name = format!("{}-{year}-{month:02}.pdf", lang.pick("值班表", "rota"));
        Ok(Download { name, filter: ("PDF", &["pdf"]), bytes: pdf, open: false })
    })
    .await
}
