//! The one pipeline every signed document goes through: gather the values → render → sign →
//! store the immutable revision → archive a copy in `reports/`. Incident reports (故障处理报告),
//! training plans (培训计划) and monthly service reports (运维服务月报) all take it, so they behave
//! alike: a revision is stored whether or not its convenience copy can be written.
//!
//! The unsigned sheets (sign-in sheets, the rota of a month) are rendered here too.

use std::path::PathBuf;

use crate::document::{sha256_hex, SignedDocument, StoredRevision};
use crate::incident::Incident;
use crate::incident::{DueFilter, IncidentQuery};
use crate::quality;
use crate::quality::monthly::{self, MajorList};
use crate::report::monthly::{monthly_number, monthly_report_pdf, MajorIncident, MonthlyInput};
use crate::report::rota::{rota_month_pdf as render_rota, RotaPdfInput};
use crate::report::training::{
    signin_sheet_pdf as render_signin, training_plan_pdf, PlanPdfInput, SigninInput,
};
use crate::report::{incident_report_pdf, latest_report_fields, report_number, RenderedReport, ReportFonts};
use crate::report::{ReportInput, SignatureLine};
use crate::signing::{sign_pdf, SignRequest, Signer};
use crate::store::{NewRevision, Store};
use crate::timeline::{EventData, NewEvent, ReportFields};
use crate::training::plan::audience_name;
use crate::training::SessionQuery;
use crate::zone::{service_date, service_midnight};
use crate::{Error, Lang, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

/// The organisation named on documents: Settings, or a neutral default.
pub fn organisation(store: &Store, lang: Lang) -> Result<String> {
    let organisation = store.settings()?.organisation;
    Ok(if organisation.is_empty() {
        lang.pick("运维服务项目组", "Service team").to_owned()
    } else {
        organisation
    })
}

/// A rendered document on its way to be signed and stored.
struct Draft {
    document: SignedDocument,
    /// What it is a revision of: the incident's id, the plan's id, the month.
    key: String,
    number: String,
    /// The incident's number, the plan's title, the month.
    subject: String,
    revision: u32,
    lang: Lang,
    organisation: String,
    rendered: RenderedReport,
    /// For an incident report: the `report_submitted` event recorded with it, and when.
    submitted: Option<(EventData, DateTime<Utc>)>,
}

impl Draft {
    /// The reason the signature states: what is signed, and which revision.
    fn reason(&self) -> String {
        let (number, revision) = (&self.number, self.revision);
        match (self.document, self.lang) {
            (SignedDocument::IncidentReport, Lang::ZhCn) => format!("故障处理报告 {number} 第 {revision} 版"),
            (SignedDocument::IncidentReport, Lang::En) => {
                format!("Incident report {number} revision {revision}")
            }
            (SignedDocument::TrainingPlan, Lang::ZhCn) => format!("培训计划 {number} 第 {revision} 版"),
            (SignedDocument::TrainingPlan, Lang::En) => format!("Training plan {number} revision {revision}"),
            (SignedDocument::MonthlyReport, Lang::ZhCn) => format!("运维服务月报 {number} 第 {revision} 版"),
            (SignedDocument::MonthlyReport, Lang::En) => {
                format!("Monthly service report {number} revision {revision}")
            }
            (SignedDocument::InspectionReport, Lang::ZhCn) => format!("巡检月报 {number} 第 {revision} 版"),
            (SignedDocument::InspectionReport, Lang::En) => {
                format!("Monthly inspection report {number} revision {revision}")
            }
            (SignedDocument::DrillReport, Lang::ZhCn) => format!("演练报告 {number} 第 {revision} 版"),
            (SignedDocument::DrillReport, Lang::En) => format!("Drill report {number} revision {revision}"),
        }
    }
}

/// Signs a draft, stores the revision (with its event, for a report) and archives a copy.
fn issue(store: &mut Store, draft: Draft, signer: &Signer, now: DateTime<Utc>) -> Result<StoredRevision> {
    let (name, _) = signer.name_and_title();
    let reason = draft.reason();
    let request = SignRequest {
        signer,
        name: &name,
        reason: &reason,
        location: &draft.organisation,
        at: now,
        placement: draft.rendered.stamp,
    };
    let signed = sign_pdf(&draft.rendered.pdf, &request)?;
    let sha256 = sha256_hex(&signed);
    let revision = NewRevision {
        document: draft.document,
        key: &draft.key,
        revision: draft.revision,
        number: &draft.number,
        lang: draft.lang.tag(),
        signer: &name,
        signed_at: now,
        sha256: &sha256,
        pdf: &signed,
    };
    store.insert_revision(&revision, draft.submitted.as_ref().map(|(data, at)| (data, *at)), now)?;
    let info = StoredRevision {
        report_number: draft.number,
        revision: draft.revision,
        incident_number: draft.subject,
        signer: name,
        signed_at: now,
        lang: draft.lang.tag().into(),
        sha256,
        size: signed.len() as u64,
        document: draft.document,
    };
    // A convenience copy beside the database, and the export's log: the revision is stored
    // whether or not they can be written (a full disk or a read-only folder loses nothing).
    let _ = archive(store, &info, &signed);
    let _ = log_missing_glyphs(store, &info.file_name(), &draft.rendered.missing_glyphs, now);
    Ok(info)
}

/// An unsigned draft of a document's next revision, every page marked 草稿 / DRAFT.
pub struct DraftPdf {
    /// `RPT-2026-0001-r2-draft.pdf`
    pub name: String,
    pub pdf: Vec<u8>,
    /// Characters the fonts could not draw, printed as 〓.
    pub missing_glyphs: Vec<char>,
}

/// A draft written to `reports/drafts/` for the system viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Preview {
    pub path: String,
    /// Characters the fonts could not draw, printed as 〓 (also in `reports/export.log`).
    pub missing_glyphs: Vec<String>,
}

fn preview(draft: Draft) -> DraftPdf {
    let suffix = if draft.lang == Lang::En { "-en" } else { "" };
    DraftPdf {
        name: format!("{}-r{}{suffix}-draft.pdf", draft.number, draft.revision),
        pdf: draft.rendered.pdf,
        missing_glyphs: draft.rendered.missing_glyphs,
    }
}

/// Writes `draft` to `reports/drafts/`, replacing an earlier preview of the same revision, and
/// notes in the export log any character it printed as 〓.
pub fn write_preview(store: &Store, draft: &DraftPdf, now: DateTime<Utc>) -> Result<Preview> {
    let dir = store.reports_dir()?.join(DRAFTS_SUBDIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::file(&dir, e))?;
    let path = dir.join(&draft.name);
    std::fs::write(&path, &draft.pdf).map_err(|e| Error::file(&path, e))?;
    let _ = log_missing_glyphs(store, &draft.name, &draft.missing_glyphs, now);
    Ok(Preview {
        path: path.display().to_string(),
        missing_glyphs: draft.missing_glyphs.iter().map(char::to_string).collect(),
    })
}

/// Where unsigned previews go, inside `reports/`.
pub const DRAFTS_SUBDIR: &str = "drafts";
/// The export log in `reports/`: a line per document that printed a character as 〓.
pub const EXPORT_LOG: &str = "export.log";

/// Appends to the export log the characters `file` printed as 〓, if any.
fn log_missing_glyphs(store: &Store, file: &str, missing: &[char], now: DateTime<Utc>) -> Result<()> {
    if missing.is_empty() {
        return Ok(());
    }
    use std::io::Write;
    let dir = store.reports_dir()?;
    std::fs::create_dir_all(dir)?;
    let listed: Vec<String> = missing.iter().map(|c| format!("U+{:04X} {c}", u32::from(*c))).collect();
    let line =
        format!("{} {file}: not in the font, printed as 〓: {}\n", now.to_rfc3339(), listed.join(", "));
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(EXPORT_LOG))?;
    log.write_all(line.as_bytes())?;
    Ok(())
}

/// Renders, signs and stores the next revision of incident `id`'s report and records
/// `report_submitted` with it. `fields` is the analysis to state; `None` keeps the latest one.
/// The incident must be resolved.
pub fn sign_incident_report(
    store: &mut Store,
    id: &str,
    lang: Lang,
    signer: &Signer,
    fields: Option<&ReportFields>,
    now: DateTime<Utc>,
) -> Result<StoredRevision> {
    let incident = store.get_incident_in(id, now, lang)?;
    if incident.provisional {
        let number = incident.summary.number;
        return Err(Error::refused(crate::sync::ProvisionalNumber { number }));
    }
    let fields = fields.cloned().unwrap_or_else(|| latest_report_fields(&incident));
    let revision = store.next_revision(SignedDocument::IncidentReport, id)?;
    // The same checks as a report typed into the event form, before the work of rendering
    // and signing, as it would be refused when stored.
    let submitted = report_event(&fields, revision, incident.summary.level, now)?;
    store.check_report_categories(&fields)?;
    store.check_event(id, &submitted.0, submitted.1)?;
    let (name, title) = signer.name_and_title();
    let draft = incident_report(
        store,
        incident,
        &fields,
        revision,
        Some(submitted),
        Some((&name, &title)),
        lang,
        now,
    )?;
    issue(store, draft, signer, now)
}

/// The unsigned draft of incident `id`'s next report revision stating `fields` as typed so far,
/// every page marked 草稿 / DRAFT; nothing is stored. Its milestones read as they would if it
/// were submitted now, when it could be.
pub fn preview_incident_report(
    store: &Store,
    id: &str,
    lang: Lang,
    fields: &ReportFields,
    now: DateTime<Utc>,
) -> Result<DraftPdf> {
    let incident = store.get_incident_in(id, now, lang)?;
    let fields = fields.parse_draft()?;
    let revision = store.next_revision(SignedDocument::IncidentReport, id)?;
    let submitted = report_event(&fields, revision, incident.summary.level, now)
        .ok()
        .filter(|(data, at)| store.check_event(id, data, *at).is_ok());
    let draft = incident_report(store, incident, &fields, revision, submitted, None, lang, now)?;
    Ok(preview(draft))
}

/// The `report_submitted` event of revision `revision` stating `fields`, and when.
fn report_event(
    fields: &ReportFields,
    revision: u32,
    level: crate::level::Level,
    now: DateTime<Utc>,
) -> Result<(EventData, DateTime<Utc>)> {
    let (data, at) =
        NewEvent { kind: "report_submitted".into(), report: fields.clone(), ..Default::default() }
            .parse(level, now)?;
    let data = match data {
        EventData::ReportSubmitted { report, .. } => {
            EventData::ReportSubmitted { report, revision: Some(revision) }
        }
        other => other,
    };
    Ok((data, at))
}

/// Renders revision `revision` of `incident`'s report, signed by `signer` when given. With
/// `submitted`, the milestones print as they stand once it is submitted: its own met by it.
#[allow(clippy::too_many_arguments, reason = "the values a report is drawn from")]
fn incident_report(
    store: &Store,
    mut incident: Incident,
    fields: &ReportFields,
    revision: u32,
    submitted: Option<(EventData, DateTime<Utc>)>,
    signer: Option<(&str, &str)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Draft> {
    if let Some((data, at)) = &submitted {
        incident.milestones =
            super::incidents::milestones_if(store, &incident, data.clone(), *at, now, lang)?;
    }
    let organisation = organisation(store, lang)?;
    let logo = store.logo()?;
    let input = ReportInput {
        organisation: &organisation,
        incident: &incident,
        revision,
        lang,
        generated_at: now,
        fields: Some(fields),
        signature: signer.map(|(name, title)| SignatureLine { name, title, at: now }),
        sample: store.is_sample()?,
        logo: logo.as_deref(),
        categories: &store.category_resolver()?,
    };
    let rendered = incident_report_pdf(&input, ReportFonts::get()?)?;
    Ok(Draft {
        document: SignedDocument::IncidentReport,
        key: incident.summary.id.clone(),
        number: report_number(&incident.summary.number),
        subject: incident.summary.number.clone(),
        revision,
        lang,
        organisation,
        rendered,
        submitted,
    })
}

/// Renders, signs and stores the next revision of training plan `id` (its id or number).
pub fn sign_training_plan(
    store: &mut Store,
    id: &str,
    lang: Lang,
    signer: &Signer,
    now: DateTime<Utc>,
) -> Result<StoredRevision> {
    let (name, title) = signer.name_and_title();
    let draft = training_plan(store, id, Some((&name, &title)), lang, now)?;
    issue(store, draft, signer, now)
}

/// The unsigned draft of training plan `id`'s next revision, every page marked 草稿 / DRAFT.
pub fn preview_training_plan(store: &Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<DraftPdf> {
    let draft = training_plan(store, id, None, lang, now)?;
    Ok(preview(draft))
}

fn training_plan(
    store: &Store,
    id: &str,
    signer: Option<(&str, &str)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Draft> {
    let plan = store.training_plan(id)?;
    let revision = store.next_revision(SignedDocument::TrainingPlan, &plan.id)?;
    let organisation = organisation(store, lang)?;
    let sessions =
        store.training_sessions(&SessionQuery { plan_id: plan.id.clone(), ..Default::default() })?;
    let logo = store.logo()?;
    let progress = super::training::plan_progress(store, &plan.id, now)?;
    let input = PlanPdfInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        plan: &plan,
        sessions: &sessions,
        audiences: &store.training_audiences()?,
        progress: &progress,
        revision,
        lang,
        generated_at: now,
        signer,
        sample: store.is_sample()?,
    };
    let rendered = training_plan_pdf(&input, ReportFonts::get()?)?;
    Ok(Draft {
        document: SignedDocument::TrainingPlan,
        key: plan.id.clone(),
        number: plan.number.clone(),
        subject: plan.title.clone(),
        revision,
        lang,
        organisation,
        rendered,
        submitted: None,
    })
}

/// Renders, signs and stores the next revision of the monthly service report of `month` (any
/// day of it). The month must have ended and lie within the records.
pub fn sign_monthly_report(
    store: &mut Store,
    month: NaiveDate,
    list: MajorList,
    lang: Lang,
    signer: &Signer,
    now: DateTime<Utc>,
) -> Result<StoredRevision> {
    // The report names incidents by number: none of them may still be provisional.
    let next = month.with_day(1).unwrap_or(month).checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    if let Some(number) = store.provisional_before(service_midnight(next))? {
        return Err(Error::refused(crate::sync::ProvisionalNumber { number }));
    }
    let (name, title) = signer.name_and_title();
    let draft = monthly_report(store, month, list, Some((&name, &title)), lang, now)?;
    issue(store, draft, signer, now)
}

/// The unsigned draft of the monthly report of `month`, every page marked 草稿 / DRAFT.
pub fn preview_monthly_report(
    store: &Store,
    month: NaiveDate,
    list: MajorList,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<DraftPdf> {
    let draft = monthly_report(store, month, list, None, lang, now)?;
    Ok(preview(draft))
}

fn monthly_report(
    store: &Store,
    month: NaiveDate,
    list: MajorList,
    signer: Option<(&str, &str)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Draft> {
    let first = month.with_day(1).unwrap_or(month);
    quality::check_report_month(first, service_date(now), store.records_begin()?)?;
    let key = first.format("%Y-%m").to_string();
    let revision = store.next_revision(SignedDocument::MonthlyReport, &key)?;
    let organisation = organisation(store, lang)?;
    let number = monthly_number(first);
    let rendered = render_monthly(store, first, list, &number, revision, lang, &organisation, signer, now)?;
    Ok(Draft {
        document: SignedDocument::MonthlyReport,
        key: key.clone(),
        number,
        subject: key,
        revision,
        lang,
        organisation,
        rendered,
        submitted: None,
    })
}

/// The monthly report of the month starting `first`: the period's figures and charts, its level
/// I and II incidents (counted, the first named, all of them in an appendix on request), the
/// training held, and the risks open at `now`.
#[allow(clippy::too_many_arguments, reason = "the values a monthly report is drawn from")]
fn render_monthly(
    store: &Store,
    first: NaiveDate,
    list: MajorList,
    number: &str,
    revision: u32,
    lang: Lang,
    organisation: &str,
    signer: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<RenderedReport> {
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let (from, to) = (service_midnight(first), service_midnight(next));
    let stats = store.period_stats(from, to, now)?;
    let pareto = store.pareto(crate::quality::ParetoBy::Cause, from, to, lang)?;
    let resolution = store.resolution_chart(from, to)?;
    let breaches = store.breach_chart(from, to, now)?;
    let tally = store.touching_tally(from, to, &monthly::MAJOR_LEVELS)?;
    let mut major = Vec::new();
    for id in store.incidents_touching(from, to, &monthly::MAJOR_LEVELS, list.limit())? {
        let incident = store.get_incident_in(&id, now, lang)?;
        let outcome = monthly::outcome(&incident.events);
        let s = incident.summary;
        major.push(MajorIncident {
            number: s.number,
            title: s.title,
            level: s.level,
            reported_at: s.reported_at,
            status: s.status.label(lang).to_owned(),
            outcome,
        });
    }
    let audiences = store.training_audiences()?;
    let sessions = store.training_sessions(&SessionQuery {
        from: from.to_rfc3339(),
        to: to.to_rfc3339(),
        ..Default::default()
    })?;
    let training = monthly::training_rows(&sessions, &audiences, lang, now);
    let overdue = store.list_incidents(
        &IncidentQuery {
            due: Some(DueFilter::Breached),
            limit: monthly::OVERDUE_NAMED as _,
            ..Default::default()
        },
        now,
    )?;
    let alerts = super::people::certificate_alerts(store, service_date(now))?;
    let risks = monthly::monthly_risks(&overdue.items, overdue.total, &alerts, lang);
    let routine = super::inspection::month_figures(store, first, lang, now)?;
    let satisfaction = super::followup::period(store, from, to)?;
    let qa = store.qa_figures(from, to, service_date(to.min(now)))?;
    let logo = store.logo()?;
    let input = MonthlyInput {
        organisation,
        logo: logo.as_deref(),
        month: first,
        stats: &stats,
        pareto: &pareto,
        resolution: resolution.as_ref(),
        breaches: breaches.as_ref(),
        tally: &tally,
        major: &major,
        list,
        training: &training,
        routine: &routine,
        satisfaction: &satisfaction,
        qa: &qa,
        risks: &risks,
        number,
        revision,
        lang,
        generated_at: now,
        signer,
        sample: store.is_sample()?,
    };
    monthly_report_pdf(&input, ReportFonts::get()?)
}

/// Renders, signs and stores the next revision of the monthly inspection report (巡检月报) of
/// `month` (any day of it); a month that has begun may be reported (a running month says so in
/// its figures: pending, not missing).
pub fn sign_inspection_report(
    store: &mut Store,
    month: NaiveDate,
    lang: Lang,
    signer: &Signer,
    now: DateTime<Utc>,
) -> Result<StoredRevision> {
    let (name, title) = signer.name_and_title();
    let draft = inspection_report(store, month, Some((&name, &title)), lang, now)?;
    issue(store, draft, signer, now)
}

/// The unsigned draft of the inspection report of `month`, every page marked 草稿 / DRAFT.
pub fn preview_inspection_report(
    store: &Store,
    month: NaiveDate,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<DraftPdf> {
    Ok(preview(inspection_report(store, month, None, lang, now)?))
}

fn inspection_report(
    store: &Store,
    month: NaiveDate,
    signer: Option<(&str, &str)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Draft> {
    let first = month.with_day(1).unwrap_or(month);
    if first > service_date(now) {
        return Err(crate::Error::invalid(
            vec![crate::FieldError::new("month", crate::error::Rule::InFuture)],
            crate::quality::labels,
        ));
    }
    let key = first.format("%Y-%m").to_string();
    let revision = store.next_revision(SignedDocument::InspectionReport, &key)?;
    let organisation = organisation(store, lang)?;
    let number = crate::report::inspection::inspection_number(first);
    let figures = super::inspection::month_figures(store, first, lang, now)?;
    let trends = super::inspection::key_trends(store, first, lang)?;
    let logo = store.logo()?;
    let input = crate::report::inspection::InspectionInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        month: first,
        figures: &figures,
        trends: &trends,
        number: &number,
        revision,
        lang,
        generated_at: now,
        signer,
        sample: store.is_sample()?,
    };
    let rendered = crate::report::inspection::inspection_report_pdf(&input, ReportFonts::get()?)?;
    Ok(Draft {
        document: SignedDocument::InspectionReport,
        key: key.clone(),
        number,
        subject: key,
        revision,
        lang,
        organisation,
        rendered,
        submitted: None,
    })
}

/// Renders, signs and stores the next revision of drill `id`'s report (演练报告).
pub fn sign_drill_report(
    store: &mut Store,
    id: &str,
    lang: Lang,
    signer: &Signer,
    now: DateTime<Utc>,
) -> Result<StoredRevision> {
    let (name, title) = signer.name_and_title();
    let draft = drill_report(store, id, Some((&name, &title)), lang, now)?;
    issue(store, draft, signer, now)
}

/// The unsigned draft of drill `id`'s report, every page marked 草稿 / DRAFT.
pub fn preview_drill_report(store: &Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<DraftPdf> {
    Ok(preview(drill_report(store, id, None, lang, now)?))
}

fn drill_report(
    store: &Store,
    id: &str,
    signer: Option<(&str, &str)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Draft> {
    let drill = store.drill(id)?;
    let revision = store.next_revision(SignedDocument::DrillReport, id)?;
    let organisation = organisation(store, lang)?;
    let actions = store.actions_from(crate::corrective::Source::Drill, id)?;
    let logo = store.logo()?;
    let input = crate::report::drill::DrillInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        drill: &drill,
        actions: &actions,
        today: service_date(now),
        revision,
        lang,
        generated_at: now,
        signer,
        sample: store.is_sample()?,
    };
    let rendered = crate::report::drill::drill_report_pdf(&input, ReportFonts::get()?)?;
    Ok(Draft {
        document: SignedDocument::DrillReport,
        key: drill.id,
        subject: drill.plan_name,
        number: drill.number,
        revision,
        lang,
        organisation,
        rendered,
        submitted: None,
    })
}

/// The sign-in sheet (签到表) of training session `id`: a page per day it runs.
pub fn signin_sheet_pdf(store: &Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let session = store.training_session(id)?;
    let organisation = organisation(store, lang)?;
    let logo = store.logo()?;
    let audiences = store.training_audiences()?;
    let calendar = store.working_calendar()?;
    let (first, last) = (service_date(session.start), service_date(session.end - Duration::seconds(1)));
    let input = SigninInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        session: &session,
        audience: audience_name(&audiences, &session.audience, lang),
        dates: crate::training::sheet_dates(first, last, &calendar),
        lang,
        generated_at: now,
    };
    render_signin(&input, ReportFonts::get()?)
}

/// The rota of the month starting `first` (any day of it) as an A4 landscape PDF.
pub fn rota_month_pdf(store: &Store, first: NaiveDate, lang: Lang, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let first = first.with_day(1).unwrap_or(first);
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let rota = super::people::rota(store, service_midnight(first), service_midnight(next))?;
    let organisation = organisation(store, lang)?;
    let logo = store.logo()?;
    let input = RotaPdfInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        month: first,
        rota: &rota,
        lang,
        generated_at: now,
    };
    render_rota(&input, ReportFonts::get()?)
}

/// The year's drill plan (年度应急演练计划) as a printable PDF (see
/// [`crate::report::drill::drill_plan_pdf`]).
pub fn drill_plan_pdf(store: &Store, year: i32, lang: Lang, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let listed = super::drills::year(store, year, lang, now)?;
    let drills: Vec<_> = listed.drills.into_iter().map(|r| (r.drill, r.plan_title)).collect();
    let organisation = organisation(store, lang)?;
    let logo = store.logo()?;
    let input = crate::report::drill::DrillPlanInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        year,
        drills: &drills,
        coverage: &listed.coverage,
        lang,
        generated_at: now,
    };
    crate::report::drill::drill_plan_pdf(&input, ReportFonts::get()?)
}

/// The recovery sheet of the backups' key `secret` as an A4 PDF (see
/// [`crate::report::recovery`]); the key is checked first, so a typing slip prints nothing.
pub fn recovery_sheet_pdf(store: &Store, secret: &str, lang: Lang, now: DateTime<Utc>) -> Result<Vec<u8>> {
    use age::secrecy::ExposeSecret;
    let key = super::backup::parse_recovery_key(secret)?;
    let organisation = organisation(store, lang)?;
    let logo = store.logo()?;
    let secret = key.to_string();
    let input = crate::report::recovery::RecoverySheetInput {
        organisation: &organisation,
        logo: logo.as_deref(),
        secret: secret.expose_secret(),
        recipient: &key.to_public().to_string(),
        lang,
        generated_at: now,
    };
    crate::report::recovery::recovery_sheet_pdf(&input, ReportFonts::get()?)
}

/// Copies a stored revision into the `reports` folder again (`RPT-2026-0001-r1.pdf`) and returns
/// the copy's path.
pub fn archive_revision(
    store: &Store,
    document: SignedDocument,
    key: &str,
    revision: u32,
) -> Result<PathBuf> {
    let (info, pdf) = store.revision_pdf(document, key, revision)?;
    archive(store, &info, &pdf)
}

/// Writes a signed document into the `reports` folder of the data directory.
fn archive(store: &Store, info: &StoredRevision, pdf: &[u8]) -> Result<PathBuf> {
    let dir = store.reports_dir()?;
    std::fs::create_dir_all(dir)?;
    let path = dir.join(info.file_name());
    std::fs::write(&path, pdf)?;
    Ok(path)
}
