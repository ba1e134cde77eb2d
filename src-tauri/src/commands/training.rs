//! Training plans, sessions, attendance, the slot finder, and the plan's documents.

use tauri::{AppHandle, Runtime, State};
use yunwei_core::app::{documents, training};
use yunwei_core::error::ErrorReport;
use yunwei_core::settings::parse_language;
use yunwei_core::signing::{SignedDocument, StoredRevision};
use yunwei_core::training::plan::{
    AttendanceForm, Audience, Plan, PlanForm, PlanProgress, Session, SessionForm,
};
use yunwei_core::training::{AudienceForm, SavedSession, SessionQuery, SlotAnswer, SlotBooking, SlotQuery};

use super::reports::{revision_download, with_signer};
use super::{save_file, Download};
use crate::state::blocking;
use crate::AppState;

#[tauri::command]
pub async fn training_audiences(state: State<'_, AppState>) -> Result<Vec<Audience>, ErrorReport> {
    state.with_store(|s| s.training_audiences())
}

#[tauri::command]
pub async fn training_audience_add(
    state: State<'_, AppState>,
    form: AudienceForm,
) -> Result<Audience, ErrorReport> {
    state.with_store(|s| s.add_training_audience(&form, yunwei_core::now()))
}

/// A new plan's form: this year, a row per audience with its default content.
#[tauri::command]
pub async fn training_plan_template(state: State<'_, AppState>) -> Result<PlanForm, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        training::plan_template(s, lang, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn training_plans(state: State<'_, AppState>) -> Result<Vec<Plan>, ErrorReport> {
    state.with_store(|s| s.training_plans())
}

/// Creates (`id` = `null`) or updates a plan.
#[tauri::command]
pub async fn training_plan_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: PlanForm,
) -> Result<Plan, ErrorReport> {
    state.with_store(|s| s.save_training_plan(id.as_deref(), &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn training_plan_progress(
    state: State<'_, AppState>,
    id: String,
) -> Result<PlanProgress, ErrorReport> {
    state.with_store(|s| training::plan_progress(s, &id, yunwei_core::now()))
}

#[tauri::command]
pub async fn training_sessions(
    state: State<'_, AppState>,
    query: SessionQuery,
) -> Result<Vec<Session>, ErrorReport> {
    state.with_store(|s| s.training_sessions(&query))
}

/// Creates (`id` = `null`), edits or reschedules a session; clashes are refused.
#[tauri::command]
pub async fn training_session_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: SessionForm,
) -> Result<SavedSession, ErrorReport> {
    state.with_store(|s| training::save_session(s, id.as_deref(), &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn training_session_delete(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    state.with_store(|s| s.delete_training_session(&id))
}

#[tauri::command]
pub async fn training_attendance_save(
    state: State<'_, AppState>,
    id: String,
    form: AttendanceForm,
) -> Result<Session, ErrorReport> {
    state.with_store(|s| s.record_attendance(&id, &form, yunwei_core::now()))
}

#[tauri::command]
pub async fn training_rooms(state: State<'_, AppState>) -> Result<Vec<String>, ErrorReport> {
    state.with_store(|s| s.training_rooms())
}

/// Where a new session is proposed: the next free usual block on `day` (`YYYY-MM-DD`) or after,
/// never in the past; `None` when four weeks are full.
#[tauri::command]
pub async fn training_default_slot(
    state: State<'_, AppState>,
    day: Option<String>,
) -> Result<Option<yunwei_core::training::Interval>, ErrorReport> {
    state.with_store(|s| {
        let day = day.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        training::default_session_slot(s, day, yunwei_core::now())
    })
}

/// The earliest free slots for a leader's one-to-one session.
#[tauri::command]
pub async fn training_slots(state: State<'_, AppState>, query: SlotQuery) -> Result<SlotAnswer, ErrorReport> {
    state.with_store(|s| training::suggest_training_slots(s, &query, yunwei_core::now()))
}

/// Books a suggested one-to-one slot for a leader.
#[tauri::command]
pub async fn training_slot_book(
    state: State<'_, AppState>,
    booking: SlotBooking,
) -> Result<SavedSession, ErrorReport> {
    state.with_store(|s| {
        let lang = s.settings()?.language;
        training::book_training_slot(s, &booking, lang, yunwei_core::now())
    })
}

/// Asks where to save the sessions of `query` (a plan's, or a trainer's) as .ics; `None` if
/// cancelled.
#[tauri::command]
pub async fn training_export_ics<R: Runtime>(
    app: AppHandle<R>,
    query: SessionQuery,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let ics = training::training_ics(s, &query, lang, yunwei_core::now())?;
        let name = format!("{}.ics", lang.pick("培训日程", "training"));
        Ok(Download { name, filter: ("iCalendar", &["ics"]), bytes: ics.into(), open: false })
    })
    .await
}

/// Asks where to save session `id`'s sign-in sheet and writes it; opens it when `open`.
#[tauri::command]
pub async fn training_signin_export<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let lang = s.settings()?.language;
        let session = s.training_session(&id)?;
        let pdf = documents::signin_sheet_pdf(s, &id, lang, yunwei_core::now())?;
        let name = format!("{}-{}.pdf", lang.pick("签到表", "sign-in"), session.title);
        Ok(Download { name, filter: ("PDF", &["pdf"]), bytes: pdf, open })
    })
    .await
}

/// Renders the unsigned draft of plan `id`'s next revision and opens it (see `report_preview`).
#[tauri::command]
pub async fn plan_preview<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
) -> Result<documents::Preview, ErrorReport> {
    let handle = app.clone();
    blocking(app, move |s, _| {
        let lang = parse_language(&language)?;
        let draft = documents::preview_training_plan(s, &id, lang, yunwei_core::now())?;
        super::reports::open_preview(&handle, s, &draft)
    })
    .await
}

/// Signs the next revision of plan `id` (see `report_sign` for the passphrase).
#[tauri::command]
pub async fn plan_sign<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    language: String,
    passphrase: Option<String>,
    remember: bool,
) -> Result<StoredRevision, ErrorReport> {
    blocking(app, move |s, state| {
        let lang = parse_language(&language)?;
        with_signer(s, state, passphrase, remember, |s, signer| {
            documents::sign_training_plan(s, &id, lang, signer, yunwei_core::now())
        })
    })
    .await
}

#[tauri::command]
pub async fn plan_revisions(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<StoredRevision>, ErrorReport> {
    state.with_store(|s| s.revisions(SignedDocument::TrainingPlan, Some(&id)))
}

/// Asks where to save a signed plan revision and writes it exactly as signed; opens it when
/// `open`; `None` if cancelled.
#[tauri::command]
pub async fn plan_revision_save<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    revision: u32,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    save_file(app, move |s| {
        let (info, pdf) = s.revision_pdf(SignedDocument::TrainingPlan, &id, revision)?;
        Ok(revision_download(&info, pdf, open))
    })
    .await
}
