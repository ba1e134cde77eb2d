//! The period figures, quality-control charts, QA samples and the monthly report.

use chrono::{DateTime, Utc};
use tauri::State;
use yunwei_core::app::categories::{self, CategoryOverview};
use yunwei_core::app::corrective::{self, ActionList};
use yunwei_core::app::documents;
use yunwei_core::category::{Category, CategoryForm, CategoryKind};
use yunwei_core::corrective::{ActionForm, CorrectiveAction};
use yunwei_core::error::{ErrorReport, Rule};
use yunwei_core::quality::monthly::MajorList;
use yunwei_core::quality::PeriodStats;
use yunwei_core::quality::{PChart, Pareto, XmrChart};
use yunwei_core::quality::{ParetoBy, QaSample, QaSampleForm};
use yunwei_core::signing::{SignedDocument, StoredRevision};
use yunwei_core::{Error, FieldError};

use crate::AppState;

fn period(from: &str, to: &str) -> yunwei_core::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |field: &'static str, text: &str| {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            Error::invalid(vec![FieldError::new(field, Rule::InvalidTime)], yunwei_core::quality::labels)
        })
    };
    let (from, to) = (parse("from", from)?, parse("to", to)?);
    if to <= from {
        return Err(Error::invalid(
            vec![FieldError::new("to", Rule::DatesOutOfOrder)],
            yunwei_core::quality::labels,
        ));
    }
    Ok((from, to))
}

#[tauri::command]
pub async fn period_stats(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<PeriodStats, ErrorReport> {
    state.with_store(|s| {
        let (from, to) = period(&from, &to)?;
        s.period_stats(from, to, yunwei_core::now())
    })
}

/// The quality-control charts of a period.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct QcCharts {
    pub pareto: Pareto,
    pub resolution: Option<XmrChart>,
    pub breaches: Option<PChart>,
}

#[tauri::command]
pub async fn qc_charts(
    state: State<'_, AppState>,
    from: String,
    to: String,
    by: ParetoBy,
) -> Result<QcCharts, ErrorReport> {
    state.with_store(|s| {
        let (from, to) = period(&from, &to)?;
        Ok(QcCharts {
            pareto: s.pareto(by, from, to, s.settings()?.language)?,
            resolution: s.resolution_chart(from, to)?,
            breaches: s.breach_chart(from, to, yunwei_core::now())?,
        })
    })
}

#[tauri::command]
pub async fn qa_samples(state: State<'_, AppState>) -> Result<Vec<QaSample>, ErrorReport> {
    state.with_store(|s| s.qa_samples(yunwei_core::now()))
}

/// Draws a QA sample of closed incidents; the current user is recorded as who drew it.
#[tauri::command]
pub async fn qa_sample_draw(state: State<'_, AppState>, form: QaSampleForm) -> Result<QaSample, ErrorReport> {
    state.with_store(|s| {
        let user = s.settings()?.user_name;
        s.draw_qa_sample(&form, &user, yunwei_core::now())
    })
}

#[tauri::command]
pub async fn qa_review(
    state: State<'_, AppState>,
    sample_id: String,
    incident_id: String,
    outcome: String,
    note: String,
) -> Result<QaSample, ErrorReport> {
    state.with_store(|s| {
        let user = s.settings()?.user_name;
        s.review_qa_item(&sample_id, &incident_id, &outcome, &note, &user, yunwei_core::now())
    })
}

/// Asks where to save a chart as PNG and writes it; `data_url` is the chart's
/// `data:image/png;base64,…` rendering. `None` if cancelled.
#[tauri::command]
pub async fn chart_png_save<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    name: String,
    data_url: String,
) -> Result<Option<String>, ErrorReport> {
    super::save_file(app, move |_| {
        use base64ct::{Base64, Encoding};
        let encoded = data_url.strip_prefix("data:image/png;base64,").unwrap_or_default();
        let png = Base64::decode_vec(encoded).map_err(|_| {
            Error::invalid(vec![FieldError::new("chart", Rule::NotAnImage)], yunwei_core::quality::labels)
        })?;
        Ok(super::Download {
            name: format!("{name}.png"),
            filter: ("PNG", &["png"]),
            bytes: png,
            open: false,
        })
    })
    .await
}

/// Signs the next revision of the monthly report of `month` (`2026-10`); see `report_sign` for
/// the passphrase.
#[tauri::command]
pub async fn monthly_sign<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    month: String,
    list: MajorList,
    language: String,
    passphrase: Option<String>,
    remember: bool,
) -> Result<StoredRevision, ErrorReport> {
    crate::state::blocking(app, move |s, state| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        let first = yunwei_core::quality::parse_month(&month)?;
        super::reports::with_signer(s, state, passphrase, remember, |s, signer| {
            documents::sign_monthly_report(s, first, list, lang, signer, yunwei_core::now())
        })
    })
    .await
}

/// Renders the unsigned draft of the monthly report of `month` (`2026-10`) and opens it.
#[tauri::command]
pub async fn monthly_preview<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    month: String,
    list: MajorList,
    language: String,
) -> Result<documents::Preview, ErrorReport> {
    let handle = app.clone();
    crate::state::blocking(app, move |s, _| {
        let lang = yunwei_core::settings::parse_language(&language)?;
        let draft = documents::preview_monthly_report(
            s,
            yunwei_core::quality::parse_month(&month)?,
            list,
            lang,
            yunwei_core::now(),
        )?;
        super::reports::open_preview(&handle, s, &draft)
    })
    .await
}

/// The first month a monthly report may cover (`YYYY-MM`, the month of the first record), if
/// anything is recorded yet.
#[tauri::command]
pub async fn monthly_first(state: State<'_, AppState>) -> Result<Option<String>, ErrorReport> {
    state.with_store(|s| Ok(s.records_begin()?.map(|d| d.format("%Y-%m").to_string())))
}

#[tauri::command]
pub async fn monthly_revisions(state: State<'_, AppState>) -> Result<Vec<StoredRevision>, ErrorReport> {
    state.with_store(|s| s.revisions(SignedDocument::MonthlyReport, None))
}

/// Asks where to save a signed monthly report and writes it exactly as signed.
#[tauri::command]
pub async fn monthly_revision_save<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    number: String,
    revision: u32,
    open: bool,
) -> Result<Option<String>, ErrorReport> {
    super::save_file(app, move |s| {
        let (info, pdf) = s.revision_pdf(SignedDocument::MonthlyReport, &number, revision)?;
        Ok(super::reports::revision_download(&info, pdf, open))
    })
    .await
}

/// The category lists, the mappings made, and the text no category holds yet.
#[tauri::command]
pub async fn categories_overview(state: State<'_, AppState>) -> Result<CategoryOverview, ErrorReport> {
    state.with_store(|s| categories::overview(s))
}

/// Adds or changes an entry of a category list.
#[tauri::command]
pub async fn category_save(state: State<'_, AppState>, form: CategoryForm) -> Result<Category, ErrorReport> {
    state.with_store(|s| categories::save(s, &form))
}

/// Counts a spelling of `kind` under `code` (empty: back to uncategorised).
#[tauri::command]
pub async fn category_map(
    state: State<'_, AppState>,
    kind: CategoryKind,
    text: String,
    code: String,
) -> Result<CategoryOverview, ErrorReport> {
    state.with_store(|s| {
        categories::map(s, kind, &text, &code, yunwei_core::now())?;
        categories::overview(s)
    })
}

/// The open corrective actions (整改项), and with `closed` the closed ones after them.
#[tauri::command]
pub async fn corrective_actions(state: State<'_, AppState>, closed: bool) -> Result<ActionList, ErrorReport> {
    state.with_store(|s| corrective::list(s, closed, yunwei_core::now()))
}

/// Raises a corrective action by hand.
#[tauri::command]
pub async fn corrective_action_raise(
    state: State<'_, AppState>,
    form: ActionForm,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| corrective::raise(s, &form, yunwei_core::now()))
}

/// Changes what an open action says, its owner and its due date.
#[tauri::command]
pub async fn corrective_action_edit(
    state: State<'_, AppState>,
    id: String,
    form: ActionForm,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| corrective::edit(s, &id, &form))
}

/// Closes an action with its evidence.
#[tauri::command]
pub async fn corrective_action_close(
    state: State<'_, AppState>,
    id: String,
    evidence: String,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| corrective::close(s, &id, &evidence, yunwei_core::now()))
}

/// Opens a closed action again, saying why.
#[tauri::command]
pub async fn corrective_action_reopen(
    state: State<'_, AppState>,
    id: String,
    reason: String,
) -> Result<CorrectiveAction, ErrorReport> {
    state.with_store(|s| corrective::reopen(s, &id, &reason))
}
