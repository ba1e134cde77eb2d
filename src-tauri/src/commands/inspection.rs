//! Routine service: templates, plans, runs and their readings, attachments, abnormal readings
//! raised as incidents, trends, the month's figures, the client's backups, assets and work orders.

use chrono::{DateTime, NaiveDate, Utc};
use tauri::{AppHandle, Runtime, State};
use yunwei_core::app::documents;
use yunwei_core::app::inspection::{self, Generated, RaisedFrom, RaisedIncident};
use yunwei_core::corrective::{ActionForm, CorrectiveAction};
use yunwei_core::error::ErrorReport;
use yunwei_core::inspection::assets::{Asset, AssetForm, WorkOrder, WorkOrderForm, WorkStep};
use yunwei_core::inspection::backups::{BackupCompliance, ClientBackup, ClientBackupForm};
use yunwei_core::inspection::calendar::CalendarDay;
use yunwei_core::inspection::figures::{HistoryEntry, MonthFigures, Trend};
use yunwei_core::inspection::template::{Template, TemplateForm};
use yunwei_core::inspection::{AttachmentRef, Plan, PlanForm, Run, RunDetail, RunForm, RunState, Today};
use yunwei_core::quality::parse_month;
use yunwei_core::signing::{SignedDocument, StoredRevision};
use yunwei_core::store::inspection::RunQuery;
use yunwei_core::Error;

use super::reports::{open_preview, revision_download, with_signer};
use super::{pick_file, save_file, Download};
use crate::AppState;

#[tauri::command]
pub async fn inspection_templates(state: State<'_, AppState>) -> Result<Vec<Template>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        s.inspection_templates(lang)
    })
}

/// Saves template `id` as its next version, or a new template (`id` = `null`).
#[tauri::command]
pub async fn inspection_template_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: TemplateForm,
) -> Result<Template, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::save_template(s, id.as_deref(), &form, lang, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn inspection_plans(state: State<'_, AppState>) -> Result<Vec<Plan>, ErrorReport> {
    state.with_store(|s| s.inspection_plans())
}

#[tauri::command]
pub async fn inspection_plan_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: PlanForm,
) -> Result<Plan, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        let plan = inspection::save_plan(s, id.as_deref(), &form, lang, yunwei_core::now())?;
        inspection::generate(s, lang, yunwei_core::now())?;
        Ok(plan)
    })
}

#[tauri::command]
pub async fn inspection_plan_delete(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    state.with_store(|s| inspection::delete_plan(s, &id))
}

/// Brings the runs up to now (also done by the watcher every minute).
#[tauri::command]
pub async fn inspection_generate(state: State<'_, AppState>) -> Result<Generated, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::generate(s, lang, yunwei_core::now())
    })
}

/// Runs due from `from` to `to` (`YYYY-MM-DD`, both included), of one plan, in some states.
#[tauri::command]
pub async fn inspection_runs(
    state: State<'_, AppState>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    plan_id: Option<String>,
    states: Vec<RunState>,
) -> Result<Vec<Run>, ErrorReport> {
    state.with_store(|s| inspection::runs(s, &RunQuery { from, to, plan_id, states }))
}

#[tauri::command]
pub async fn inspection_run_get(state: State<'_, AppState>, id: String) -> Result<RunDetail, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::run_detail(s, &id, lang)
    })
}

/// Saves the readings of an open run; with `submit`, submits it.
#[tauri::command]
pub async fn inspection_run_save(
    state: State<'_, AppState>,
    id: String,
    form: RunForm,
    submit: bool,
) -> Result<RunDetail, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::save_run(s, &id, &form, submit, lang, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn inspection_run_sign_off(
    state: State<'_, AppState>,
    id: String,
) -> Result<RunDetail, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::sign_off(s, &id, lang, yunwei_core::now())
    })
}

/// Asks for a photo or log excerpt and keeps it; `null` when the dialog is cancelled.
#[tauri::command]
pub async fn inspection_attachment_pick<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<AttachmentRef>, ErrorReport> {
    let filter = ("Images, logs, PDF", &["png", "jpg", "jpeg", "txt", "log", "csv", "pdf"][..]);
    pick_file(app, filter, |s, path| {
        let data = std::fs::read(&path).map_err(|e| Error::file(&path, e))?;
        let name = path.file_name().map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned());
        inspection::add_attachment(s, &data, &name, yunwei_core::now())
    })
    .await
}

/// Saves a copy of an attachment where the user chooses, and opens it.
#[tauri::command]
pub async fn inspection_attachment_save<R: Runtime>(
    app: AppHandle<R>,
    sha256: String,
    name: String,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let (bytes, _) = s.attachment(&sha256)?;
        Ok(Download { name, filter: ("*", &["*"]), bytes, open: true })
    })
    .await
}

#[tauri::command]
pub async fn inspection_raise_incident(
    state: State<'_, AppState>,
    run_id: String,
    key: String,
) -> Result<RaisedIncident, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::raise_incident(s, &run_id, &key, lang, yunwei_core::now())
    })
}

/// Raises a corrective action (整改项) for abnormal item `key` of run `run_id`.
#[tauri::command]
pub async fn inspection_action_raise(
    state: State<'_, AppState>,
    run_id: String,
    key: String,
    form: ActionForm,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::raise_action(s, &run_id, &key, &form, lang, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn inspection_raised_from(
    state: State<'_, AppState>,
    incident_id: String,
) -> Result<Vec<RaisedFrom>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::raised_from(s, &incident_id, lang)
    })
}

#[tauri::command]
pub async fn inspection_today(state: State<'_, AppState>) -> Result<Today, ErrorReport> {
    state.with_store(|s| inspection::today(s, yunwei_core::now()))
}

#[tauri::command]
pub async fn inspection_trend(
    state: State<'_, AppState>,
    plan_id: String,
    key: String,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Trend, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::trend(s, &plan_id, &key, from, to, lang)
    })
}

/// The figures of `month` (`2026-11`).
#[tauri::command]
pub async fn inspection_month(
    state: State<'_, AppState>,
    month: String,
) -> Result<MonthFigures, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::month_figures(s, parse_month(&month)?, lang, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn client_backups(
    state: State<'_, AppState>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ClientBackup>, ErrorReport> {
    state.with_store(|s| s.client_backups(from, to))
}

#[tauri::command]
pub async fn client_backup_add(
    state: State<'_, AppState>,
    form: ClientBackupForm,
) -> Result<ClientBackup, ErrorReport> {
    state.with_store(|s| inspection::add_client_backup(s, &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn client_backup_delete(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    state.with_store(|s| s.delete_client_backup(&id))
}

/// `month` (`2026-11`) against the backup plan.
#[tauri::command]
pub async fn client_backup_compliance(
    state: State<'_, AppState>,
    month: String,
) -> Result<BackupCompliance, ErrorReport> {
    state.with_store(|s| inspection::backup_compliance(s, parse_month(&month)?, yunwei_core::now()))
}

#[tauri::command]
pub async fn assets_list(state: State<'_, AppState>) -> Result<Vec<Asset>, ErrorReport> {
    state.with_store(|s| s.assets())
}

#[tauri::command]
pub async fn asset_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: AssetForm,
) -> Result<Asset, ErrorReport> {
    state.with_store(|s| inspection::save_asset(s, id.as_deref(), &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn work_orders(
    state: State<'_, AppState>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<WorkOrder>, ErrorReport> {
    state.with_store(|s| s.work_orders(from, to))
}

#[tauri::command]
pub async fn work_order_request(
    state: State<'_, AppState>,
    form: WorkOrderForm,
) -> Result<WorkOrder, ErrorReport> {
    state.with_store(|s| inspection::request_work(s, &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn work_order_step(
    state: State<'_, AppState>,
    id: String,
    step: WorkStep,
) -> Result<WorkOrder, ErrorReport> {
    state.with_store(|s| inspection::work_step(s, &id, &step, yunwei_core::now()))
}

/// Signs the next revision of the inspection report (巡检月报) of `month` (`2026-11`); see
/// `report_sign` for the passphrase.
#[tauri::command]
pub async fn inspection_report_sign<R: Runtime>(
    app: AppHandle<R>,
    month: String,
    language: String,
    passphrase: Option<String>,
    remember: bool,
) -> Result<StoredRevision, ErrorReport> {
    crate::state::blocking(app, move |s, state| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        let first = parse_month(&month)?;
        with_signer(s, state, passphrase, remember, |s, signer| {
            documents::sign_inspection_report(s, first, lang, signer, yunwei_core::now())
        })
    })
    .await
}

/// Renders the unsigned draft of the inspection report of `month` and opens it.
#[tauri::command]
pub async fn inspection_report_preview<R: Runtime>(
    app: AppHandle<R>,
    month: String,
    language: String,
) -> Result<documents::Preview, ErrorReport> {
    let handle = app.clone();
    crate::state::blocking(app, move |s, _| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        let draft = documents::preview_inspection_report(s, parse_month(&month)?, lang, yunwei_core::now())?;
        open_preview(&handle, s, &draft)
    })
    .await
}

#[tauri::command]
pub async fn inspection_report_revisions(
    state: State<'_, AppState>,
) -> Result<Vec<StoredRevision>, ErrorReport> {
    state.with_store(|s| s.revisions(SignedDocument::InspectionReport, None))
}

/// Asks where to save a signed inspection report and writes it exactly as signed.
#[tauri::command]
pub async fn inspection_report_revision_save<R: Runtime>(
    app: AppHandle<R>,
    number: String,
    revision: u32,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let (info, pdf) = s.revision_pdf(SignedDocument::InspectionReport, &number, revision)?;
        Ok(revision_download(&info, pdf, open))
    })
    .await
}

/// The service calendar (运维服务计划) from `from` to `to` (`YYYY-MM-DD`, at most three months).
#[tauri::command]
pub async fn service_calendar(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CalendarDay>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::service_calendar(s, from, to, lang, yunwei_core::now())
    })
}

/// Asks where to save the service calendar of `[from, to]` as an `.ics` file, and writes it.
#[tauri::command]
pub async fn service_calendar_ics_save<R: Runtime>(
    app: AppHandle<R>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let text = inspection::service_calendar_ics(s, from, to, lang, yunwei_core::now())?;
        let name = format!("{}-{from}.ics", lang.pick("运维服务计划", "service-calendar"));
        Ok(Download { name, filter: ("iCalendar", &["ics"]), bytes: text.into_bytes(), open: false })
    })
    .await
}

/// An asset's inspections, incidents and work orders, newest first.
#[tauri::command]
pub async fn asset_history(state: State<'_, AppState>, id: String) -> Result<Vec<HistoryEntry>, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        inspection::asset_history(s, &id, lang, yunwei_core::now())
    })
}

/// Asks where to save template `id` as `.xlsx`, and writes it.
#[tauri::command]
pub async fn inspection_template_export<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let template = s.inspection_template(&id, None, lang)?;
        let bytes = yunwei_core::inspection::spreadsheet::export_xlsx(&template, lang)?;
        Ok(Download {
            name: format!("{}.xlsx", template.name),
            filter: ("Excel", &["xlsx"]),
            bytes,
            open: false,
        })
    })
    .await
}

/// Asks for a spreadsheet and reads it as a template form for the editor (nothing is stored);
/// `null` when the dialog is cancelled.
#[tauri::command]
pub async fn inspection_template_import<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<TemplateForm>, ErrorReport> {
    pick_file(app, ("Excel / CSV", &["xlsx", "xls", "ods", "csv"]), |_, path| {
        let bytes = std::fs::read(&path).map_err(|e| Error::file(&path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let sheet = yunwei_core::people::import::read_sheet(&bytes, &name)?;
        let stem = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        yunwei_core::inspection::spreadsheet::form_from_sheet(&sheet, &stem)
    })
    .await
}
