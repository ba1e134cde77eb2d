//! Emergency preparedness: the catalogue of emergency plans (应急预案), plans put to work on
//! incidents, and the drills (演练) that exercise them.

use tauri::{AppHandle, Runtime, State};
use yunwei_core::app::contingency::{self, Catalogue, PlanChoice};
use yunwei_core::app::documents;
use yunwei_core::app::drills::{self, DrillDetail, DrillYear};
use yunwei_core::contingency::{ContingencyForm, ContingencyPlan};
use yunwei_core::corrective::{ActionForm, CorrectiveAction};
use yunwei_core::drill::{Drill, DrillForm, LogForm};
use yunwei_core::error::ErrorReport;
use yunwei_core::incident::Incident;
use yunwei_core::signing::{SignedDocument, StoredRevision};

use super::reports::{open_preview, revision_download, with_signer};
use super::{save_file, Download};
use crate::AppState;

/// The plans, each with where its review stands.
#[tauri::command]
pub async fn contingency_catalogue(state: State<'_, AppState>) -> Result<Catalogue, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::catalogue(s, lang, yunwei_core::now())
    })
}

/// Saves plan `id` as its next version, or a new plan (`id` = `null`).
#[tauri::command]
pub async fn contingency_plan_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: ContingencyForm,
) -> Result<ContingencyPlan, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::save(s, id.as_deref(), &form, lang, yunwei_core::now())
    })
}

/// The plans incident `id` may activate, those fitting it first.
#[tauri::command]
pub async fn contingency_for_incident(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<PlanChoice>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::for_incident(s, &id, lang, yunwei_core::now())
    })
}

/// Puts plan `plan_id` to work on incident `id`.
#[tauri::command]
pub async fn contingency_activate(
    state: State<'_, AppState>,
    id: String,
    plan_id: String,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        contingency::activate(s, &id, &plan_id, lang, yunwei_core::now())
    })
}

/// Ticks step `step` of the plan `plan_id` activated on incident `id`, done by `person`.
#[tauri::command]
pub async fn contingency_step_done(
    state: State<'_, AppState>,
    id: String,
    plan_id: String,
    step: u32,
    person: String,
) -> Result<Incident, ErrorReport> {
    state.with_store(|s| contingency::step_done(s, &id, &plan_id, step, &person, yunwei_core::now()))
}

/// The drills of `year` (演练计划), with each plan's coverage and the restore drills.
#[tauri::command]
pub async fn drill_year(state: State<'_, AppState>, year: i32) -> Result<DrillYear, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        drills::year(s, year, lang, yunwei_core::now())
    })
}

/// One drill with its form, findings and signed reports.
#[tauri::command]
pub async fn drill_get(state: State<'_, AppState>, id: String) -> Result<DrillDetail, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        drills::detail(s, &id, lang, yunwei_core::now())
    })
}

/// Plans a drill (`id` = `null`) or records drill `id`.
#[tauri::command]
pub async fn drill_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: DrillForm,
) -> Result<Drill, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        drills::save(s, id.as_deref(), &form, lang, yunwei_core::now())
    })
}

/// Adds a line to drill `id`'s log.
#[tauri::command]
pub async fn drill_log_add(
    state: State<'_, AppState>,
    id: String,
    form: LogForm,
) -> Result<Drill, ErrorReport> {
    state.with_store(|s| drills::log(s, &id, &form, yunwei_core::now()))
}

/// Raises a finding of drill `id` as a corrective action.
#[tauri::command]
pub async fn drill_finding_raise(
    state: State<'_, AppState>,
    id: String,
    form: ActionForm,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        drills::raise_finding(s, &id, &form, lang, yunwei_core::now())
    })
}

/// Signs the next revision of drill `id`'s report (演练报告); see `report_sign` for the passphrase.
#[tauri::command]
pub async fn drill_report_sign<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
    passphrase: Option<String>,
    remember: bool,
) -> Result<StoredRevision, ErrorReport> {
    crate::state::blocking(app, move |s, state| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        with_signer(s, state, passphrase, remember, |s, signer| {
            documents::sign_drill_report(s, &id, lang, signer, yunwei_core::now())
        })
    })
    .await
}

/// Renders the unsigned draft of drill `id`'s report and opens it.
#[tauri::command]
pub async fn drill_report_preview<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
) -> Result<documents::Preview, ErrorReport> {
    let handle = app.clone();
    crate::state::blocking(app, move |s, _| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        let draft = documents::preview_drill_report(s, &id, lang, yunwei_core::now())?;
        open_preview(&handle, s, &draft)
    })
    .await
}

/// Asks where to save a signed drill report and writes it exactly as signed.
#[tauri::command]
pub async fn drill_report_revision_save<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    revision: u32,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let (info, pdf) = s.revision_pdf(SignedDocument::DrillReport, &id, revision)?;
        Ok(revision_download(&info, pdf, open))
    })
    .await
}

/// Asks where to save the drill plan of `year` (年度应急演练计划) as a printable PDF and writes it.
#[tauri::command]
pub async fn drill_plan_pdf_save<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let pdf = documents::drill_plan_pdf(s, year, lang, yunwei_core::now())?;
        let name = format!("{}-{year}.pdf", lang.pick("年度应急演练计划", "drill-plan"));
        Ok(Download { name, filter: ("PDF", &["pdf"]), bytes: pdf, open: false })
    })
    .await
}
