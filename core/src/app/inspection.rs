//! Routine service: plans whose runs are generated once per period (missed ones kept as
//! missed), the run form, sign-off, an abnormal reading raised as an incident in one step, trends
//! with their control rules, the client's backups against the plan, assets and work orders, and
//! the month's figures behind the Dashboard card and the 巡检月报.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::corrective::{ActionForm, CorrectiveAction, Source};
use crate::error::{Missing, Rule};
use crate::incident::NewIncident;
use crate::inspection::assets::{
    apply_step, next_routine, Asset, AssetForm, WorkKind, WorkOrder, WorkOrderForm, WorkStep,
};
use crate::inspection::backups::{compliance, BackupCompliance, ClientBackup, ClientBackupForm};
use crate::inspection::calendar::{calendar_ics, days, CalendarDay, CalendarEntry, WorkType};
use crate::inspection::figures::{
    Counted, HistoryEntry, MissedRow, MonthFigures, PlanMonth, RaisedRow, Trend,
};
use crate::inspection::template::{Item, Template, TemplateForm};
use crate::inspection::{
    check_readings, incident_draft, judge, Assignee, ItemResult, Plan, PlanForm, Run, RunDetail, RunForm,
    RunRefusal, RunState, Today, Workdays,
};
use crate::people::{Department, PeopleQuery};
use crate::quality::{xmr, ControlRule};
use crate::roster::{self, Duty};
use crate::store::inspection::RunQuery;
use crate::store::{new_id, Store};
use crate::zone::{service_date, service_midnight};
use crate::{Error, FieldError, Lang, Result};

/// What one generation pass made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Generated {
    /// Runs added (one per plan and due date not there before).
    pub added: u32,
    /// Open runs whose period closed, now missed.
    pub missed: u32,
    /// Routine work orders proposed from the assets' maintenance intervals.
    pub work_orders: u32,
}

/// Brings the runs up to `now`: every due date of every active plan since its last run gets its
/// run (idempotent: a second pass adds nothing), and open runs past their period become missed.
/// Routine maintenance due within a week gets its work order.
pub fn generate(store: &mut Store, lang: Lang, now: DateTime<Utc>) -> Result<Generated> {
    let today = service_date(now);
    let calendar = store.working_calendar()?;
    let workdays = Workdays::new(&calendar);
    let last = store.last_run_dates()?;
    let mut owed: Vec<(Plan, NaiveDate)> = Vec::new();
    for plan in store.inspection_plans()? {
        for date in plan.dates_owed(last.get(&plan.id).copied(), today, &workdays) {
            owed.push((plan.clone(), date));
        }
    }
    let duties = match owed.iter().map(|(p, d)| p.due_at(*d)).min() {
        Some(first) if owed.iter().any(|(p, _)| p.assignee == Assignee::OnDuty) => {
            let rotations = store.rotations()?;
            let overrides = store.overrides(first - Duration::days(1), now + Duration::days(1))?;
            roster::schedule(
                &rotations,
                &overrides,
                &calendar,
                first - Duration::days(1),
                now + Duration::days(1),
            )
        }
        _ => Vec::new(),
    };
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut versions: HashMap<String, u32> = HashMap::new();
    let mut runs = Vec::new();
    for (plan, date) in owed {
        let due_at = plan.due_at(date);
        let version = match versions.get(&plan.template_id) {
            Some(v) => *v,
            None => {
                let v = store.inspection_template(&plan.template_id, None, lang)?.version;
                versions.insert(plan.template_id.clone(), v);
                v
            }
        };
        let (assignee_id, assignee_name) = assign(store, &plan, due_at, date, &duties, &mut names)?;
        runs.push(Run {
            id: new_id(),
            plan_id: plan.id.clone(),
            plan_name: plan.name.clone(),
            template_id: plan.template_id.clone(),
            template_version: version,
            due_date: date,
            due_at,
            closes_at: plan.closes_at(date, &workdays),
            assignee_id,
            assignee_name,
            asset_id: plan.asset_id.clone(),
            state: RunState::Open,
            abnormal: 0,
            note: String::new(),
            submitted_at: None,
            submitted_by: String::new(),
            signed_off_at: None,
            signed_off_by: String::new(),
        });
    }
    let (added, missed) = store.add_runs_and_close(&runs, now)?;
    let work_orders = propose_routine_work(store, lang, now)?;
    Ok(Generated { added: added as u32, missed: missed as u32, work_orders })
}

/// Who does the run of `plan` due at `due_at`: the named person (the relay when they have
/// left), or whoever holds the duty then (the relay when no one does).
fn assign(
    store: &Store,
    plan: &Plan,
    due_at: DateTime<Utc>,
    date: NaiveDate,
    duties: &[Duty],
    names: &mut HashMap<String, Option<String>>,
) -> Result<(Option<String>, String)> {
    let mut current = |id: &str| -> Result<Option<String>> {
        if let Some(name) = names.get(id) {
            return Ok(name.clone());
        }
        let name = match store.get_person(id) {
            Ok(p) if p.details.left.is_none_or(|left| left > date) => Some(p.details.name),
            Ok(_) | Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        names.insert(id.to_owned(), name.clone());
        Ok(name)
    };
    let first = match &plan.assignee {
        Assignee::Person { id } => Some(id.clone()),
        Assignee::OnDuty => roster::on_duty(duties, due_at).0.first().map(|d| d.person_id.clone()),
    };
    for id in first.iter().chain(plan.relay_id.iter()) {
        if let Some(name) = current(id)? {
            return Ok((Some(id.clone()), name));
        }
    }
    Ok((None, String::new()))
}

/// Proposes the routine work order of every asset whose maintenance falls due within a week.
fn propose_routine_work(store: &mut Store, lang: Lang, now: DateTime<Utc>) -> Result<u32> {
    let today = service_date(now);
    let last = store.last_routine_dates()?;
    let mut made = 0;
    for asset in store.assets()? {
        let Some(due) = next_routine(&asset, last.get(&asset.id).copied()) else { continue };
        if due > today + Duration::days(7) {
            continue;
        }
        let start = crate::inspection::local_instant(
            due.max(today),
            chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        let form = WorkOrderForm {
            kind: work_kind_of(&asset).code().into(),
            asset_id: asset.id.clone(),
            title: match lang {
                Lang::ZhCn => format!("{}例行维护", asset.name),
                Lang::En => format!("Routine maintenance of {}", asset.name),
            },
            reason: match lang {
                Lang::ZhCn => format!("按维护周期（每 {} 天）", asset.maintenance_days.unwrap_or_default()),
                Lang::En => format!(
                    "Maintenance interval (every {} days)",
                    asset.maintenance_days.unwrap_or_default()
                ),
            },
            window_start: start.to_rfc3339(),
            window_end: (start + Duration::hours(2)).to_rfc3339(),
            ..Default::default()
        };
        if store.create_work_order(form.validate()?, Some(due), now)?.is_some() {
            made += 1;
        }
    }
    Ok(made)
}

fn work_kind_of(asset: &Asset) -> WorkKind {
    match asset.kind {
        crate::inspection::assets::AssetKind::Application => WorkKind::Application,
        crate::inspection::assets::AssetKind::Database => WorkKind::Data,
        _ => WorkKind::Hardware,
    }
}

/// Saves template `id` as its next version (`None`: a new template).
pub fn save_template(
    store: &mut Store,
    id: Option<&str>,
    form: &TemplateForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Template> {
    let (id, version) = match id {
        Some(id) => (id.to_owned(), store.inspection_template(id, None, lang)?.version + 1),
        None => (new_id(), 1),
    };
    let template = form.validate(id, version)?;
    store.write_inspection_template(&template, now)?;
    Ok(template)
}

/// Creates (`id` `None`) or edits a plan after checking its template, people and asset exist.
pub fn save_plan(
    store: &mut Store,
    id: Option<&str>,
    form: &PlanForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Plan> {
    let valid = form.validate()?;
    let mut errors = Vec::new();
    if store.inspection_template(&valid.template_id, None, lang).is_err() {
        errors.push(FieldError::new("template_id", Rule::Unknown { value: valid.template_id.clone() }));
    }
    let people = match &valid.assignee {
        Assignee::Person { id } => vec![("assignee", id)],
        Assignee::OnDuty => vec![],
    };
    for (field, person) in people.into_iter().chain(valid.relay_id.iter().map(|r| ("relay_id", r))) {
        if store.get_person(person).is_err() {
            errors.push(FieldError::new(field, Rule::Unknown { value: person.clone() }));
        }
    }
    if let Some(asset) = &valid.asset_id {
        if store.asset(asset).is_err() {
            errors.push(FieldError::new("asset_id", Rule::Unknown { value: asset.clone() }));
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors, crate::inspection::labels));
    }
    let old = id.map(|id| store.inspection_plan(id)).transpose()?;
    let plan = Plan {
        id: old.as_ref().map_or_else(new_id, |o| o.id.clone()),
        name: valid.name,
        template_id: valid.template_id,
        recurrence: valid.recurrence,
        first_date: valid.first_date,
        due_time: valid.due_time,
        assignee: valid.assignee,
        relay_id: valid.relay_id,
        asset_id: valid.asset_id,
        active: valid.active,
        created_at: old.as_ref().map_or(now, |o| o.created_at),
        updated_at: now,
    };
    store.write_inspection_plan(&plan)?;
    Ok(plan)
}

/// A run with its template (at the version it used), answers and previous readings.
pub fn run_detail(store: &Store, id: &str, lang: Lang) -> Result<RunDetail> {
    let run = store.inspection_run(id)?;
    let template = store.inspection_template(&run.template_id, Some(run.template_version), lang)?;
    let mut results = store.run_results(id)?;
    // Unanswered items come back blank, in the template's order.
    results = template
        .items
        .iter()
        .map(|item| {
            results.iter().position(|r| r.key == item.key).map_or_else(
                || crate::inspection::ItemResult {
                    key: item.key.clone(),
                    value: String::new(),
                    number: None,
                    abnormal: false,
                    flagged: false,
                    note: String::new(),
                    attachments: Vec::new(),
                    incident_id: None,
                    incident_number: None,
                },
                |i| results.swap_remove(i),
            )
        })
        .collect();
    let previous = store.previous_readings(&run.plan_id, run.due_date)?;
    let actions = store.actions_from(crate::corrective::Source::Inspection, id)?;
    Ok(RunDetail { run, template, results, previous, actions })
}

/// Saves the readings of an open run; with `submit`, checks it is complete and submits it.
pub fn save_run(
    store: &mut Store,
    id: &str,
    form: &RunForm,
    submit: bool,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<RunDetail> {
    let detail = run_detail(store, id, lang)?;
    if detail.run.state != RunState::Open {
        return Err(Error::refused(RunRefusal::NotOpen { state: detail.run.state }));
    }
    let (mut results, note) = check_readings(&detail.template, form, submit)?;
    for result in &mut results {
        for attachment in &mut result.attachments {
            attachment.size = store.attachment_size(&attachment.sha256)?;
        }
        result.incident_id =
            detail.results.iter().find(|r| r.key == result.key).and_then(|o| o.incident_id.clone());
    }
    let user = store.settings()?.user_name;
    store.save_run_results(id, &results, &note, submit.then_some((user.as_str(), now)))?;
    run_detail(store, id, lang)
}

/// Keeps an attachment for a reading; `name` is the file's name as shown.
pub fn add_attachment(
    store: &mut Store,
    data: &[u8],
    name: &str,
    now: DateTime<Utc>,
) -> Result<crate::inspection::AttachmentRef> {
    if data.len() > crate::inspection::ATTACHMENT_MAX_BYTES {
        let max_kb = crate::inspection::ATTACHMENT_MAX_BYTES / 1024;
        return Err(Error::invalid(
            vec![FieldError::new("attachments", Rule::FileTooLarge { max_kb })],
            crate::inspection::labels,
        ));
    }
    let media = media_type(name);
    let sha256 = store.put_attachment(data, media, now)?;
    Ok(crate::inspection::AttachmentRef { sha256, name: name.to_owned(), size: data.len() as i64 })
}

fn media_type(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" | "log" => "text/plain",
        "pdf" => "application/pdf",
        "csv" => "text/csv",
        _ => "application/octet-stream",
    }
}

/// Signs off a submitted run as the current user, who must be the project manager or on the
/// quality staff (chosen from the roster in Settings).
pub fn sign_off(store: &mut Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<RunDetail> {
    let run = store.inspection_run(id)?;
    if run.state != RunState::Submitted {
        return Err(Error::refused(RunRefusal::NotSubmitted { state: run.state }));
    }
    let settings = store.settings()?;
    let signer = settings.user_person_id.as_deref().and_then(|id| store.get_person(id).ok()).filter(|p| {
        matches!(p.details.department, Some(Department::ProjectManager | Department::Quality))
            && p.details.left.is_none_or(|left| left > service_date(now))
    });
    let Some(signer) = signer else {
        return Err(Error::refused(RunRefusal::NotASigner { user: settings.user_name }));
    };
    store.sign_off_run(id, &signer.details.name, now)?;
    run_detail(store, id, lang)
}

/// The incident an abnormal answer raised or was linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RaisedIncident {
    pub incident_id: String,
    pub number: String,
    /// Linked to an incident already open for the same asset, not a new one.
    pub linked: bool,
    /// Raised before: the answer already had its incident.
    pub existing: bool,
}

/// The item `key` of a run and its answer, which must be abnormal.
fn abnormal<'a>(detail: &'a RunDetail, key: &str) -> Result<(&'a Item, &'a ItemResult)> {
    let item = detail.template.item(key).ok_or_else(|| {
        Error::invalid(
            vec![FieldError::new("results", Rule::Unknown { value: key.to_owned() })],
            crate::inspection::labels,
        )
    })?;
    match detail.results.iter().find(|r| r.key == key).filter(|r| r.abnormal) {
        Some(result) => Ok((item, result)),
        None => Err(Error::refused(RunRefusal::NotAbnormal { item: item.title.clone() })),
    }
}

/// Raises a corrective action (整改项) for abnormal answer `key` of run `id`: something to put
/// right that is not an incident (a threshold to tune, a check to add). Named after the run.
pub fn raise_action(
    store: &mut Store,
    id: &str,
    key: &str,
    form: &ActionForm,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<CorrectiveAction> {
    let detail = run_detail(store, id, lang)?;
    let (item, _) = abnormal(&detail, key)?;
    let label = format!(
        "{} {} {} {}",
        lang.pick("巡检", "Inspection"),
        detail.run.plan_name,
        detail.run.due_date,
        item.title
    );
    store.raise_action(Source::Inspection, id, &label, &form.validate()?, now)
}

/// Raises the incident of abnormal answer `key` of run `id` in one step: title from the item,
/// level from the template, channel 巡检, the reading in the description; or links it to the
/// incident already open for the run's asset. Asked twice, the answer keeps its one incident.
pub fn raise_incident(
    store: &mut Store,
    id: &str,
    key: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<RaisedIncident> {
    let detail = run_detail(store, id, lang)?;
    let (item, result) = abnormal(&detail, key)?;
    if let (Some(incident_id), Some(number)) = (&result.incident_id, &result.incident_number) {
        return Ok(RaisedIncident {
            incident_id: incident_id.clone(),
            number: number.clone(),
            linked: false,
            existing: true,
        });
    }
    let asset = detail.run.asset_id.as_deref().map(|a| store.asset(a)).transpose()?;
    if let Some(asset) = &asset {
        if let Some((incident_id, number)) = store.open_incident_on(&asset.name)? {
            store.link_result_incident(id, key, &incident_id)?;
            return Ok(RaisedIncident { incident_id, number, linked: true, existing: false });
        }
    }
    let draft = incident_draft(&detail.run, item, result, lang);
    let reporter = if detail.run.assignee_name.is_empty() {
        store.settings()?.user_name
    } else {
        detail.run.assignee_name.clone()
    };
    let incident = store.create_incident(
        &NewIncident {
            title: draft.title,
            level: draft.level.code().into(),
            channel: crate::incident::Channel::Inspection.code().into(),
            reported_at: now.to_rfc3339(),
            reporter,
            description: draft.description,
            system: asset.map(|a| a.name).unwrap_or_default(),
        },
        now,
    )?;
    store.link_result_incident(id, key, &incident.summary.id)?;
    Ok(RaisedIncident {
        incident_id: incident.summary.id,
        number: incident.summary.number,
        linked: false,
        existing: false,
    })
}

/// The inspection answers that raised or were linked to incident `incident_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RaisedFrom {
    pub run_id: String,
    pub plan_name: String,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    pub item: String,
}

pub fn raised_from(store: &Store, incident_id: &str, lang: Lang) -> Result<Vec<RaisedFrom>> {
    let mut out = Vec::new();
    for (run_id, key) in store.results_of_incident(incident_id)? {
        let run = store.inspection_run(&run_id)?;
        let template = store.inspection_template(&run.template_id, Some(run.template_version), lang)?;
        let item = template.item(&key).map_or(key, |i| i.title.clone());
        out.push(RaisedFrom { run_id, plan_name: run.plan_name, due_date: run.due_date, item });
    }
    Ok(out)
}

/// Today's runs for the Dashboard: due, done, overdue (any day), waiting for sign-off.
pub fn today(store: &Store, now: DateTime<Utc>) -> Result<Today> {
    let date = service_date(now);
    let runs = store.inspection_runs(&RunQuery {
        from: Some(date - Duration::days(CATCH_UP_LOOK)),
        to: Some(date),
        ..Default::default()
    })?;
    let mut t = Today::default();
    for run in &runs {
        if run.due_date == date {
            t.due += 1;
            t.done += u32::from(run.state.done());
            t.abnormal += run.abnormal;
        }
        t.overdue += u32::from(run.overdue(now));
        t.to_sign_off += u32::from(run.state == RunState::Submitted);
    }
    Ok(t)
}

/// The open runs past their due time (within the Dashboard's look-back).
pub fn overdue(store: &Store, now: DateTime<Utc>) -> Result<Vec<Run>> {
    let date = service_date(now);
    let query = RunQuery {
        from: Some(date - Duration::days(CATCH_UP_LOOK)),
        to: Some(date),
        states: vec![RunState::Open],
        ..Default::default()
    };
    Ok(store.inspection_runs(&query)?.into_iter().filter(|r| r.overdue(now)).collect())
}

/// How far back the Dashboard looks for overdue runs and runs awaiting sign-off.
const CATCH_UP_LOOK: i64 = 92;

/// Runs due in `[from, to]` (service dates), filtered by plan and state.
pub fn runs(store: &Store, query: &RunQuery) -> Result<Vec<Run>> {
    store.inspection_runs(query)
}

pub fn trend(
    store: &Store,
    plan_id: &str,
    key: &str,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Trend> {
    let plan = store.inspection_plan(plan_id)?;
    let template = store.inspection_template(&plan.template_id, None, lang)?;
    let item = template.item(key).ok_or_else(|| {
        Error::invalid(
            vec![FieldError::new("results", Rule::Unknown { value: key.to_owned() })],
            crate::inspection::labels,
        )
    })?;
    let (unit, min, max) = match &item.answer {
        crate::inspection::Answer::Number { unit, min, max } => (unit.clone(), *min, *max),
        _ => (String::new(), None, None),
    };
    let readings = store.item_readings(plan_id, key, from, to)?;
    let labelled: Vec<(String, f64)> = readings.iter().map(|r| (r.due_date.to_string(), r.number)).collect();
    let chart = xmr(&labelled, false);
    let bursts = chart
        .as_ref()
        .map(|c| {
            c.points
                .iter()
                .zip(&readings)
                .filter(|(p, _)| p.rules.contains(&ControlRule::BeyondLimit) && p.value > p.ucl)
                .map(|(_, r)| r.due_date)
                .collect()
        })
        .unwrap_or_default();
    Ok(Trend {
        plan_id: plan_id.to_owned(),
        key: key.to_owned(),
        title: item.title.clone(),
        unit,
        min,
        max,
        dates: readings.iter().map(|r| r.due_date).collect(),
        values: readings.iter().map(|r| r.number).collect(),
        abnormal: readings.iter().map(|r| r.abnormal).collect(),
        chart,
        bursts,
    })
}

/// How many trend charts the monthly report draws at most.
pub const KEY_TRENDS: usize = 6;

/// The month's key readings for the report: every numeric item of every plan with two or more
/// readings that month, those with abnormal readings or flagged points first, at most
/// [`KEY_TRENDS`]; each with its plan's name.
pub fn key_trends(store: &Store, first: NaiveDate, lang: Lang) -> Result<Vec<(String, Trend)>> {
    let last = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first) - Duration::days(1);
    let mut found = Vec::new();
    for plan in store.inspection_plans()? {
        let template = store.inspection_template(&plan.template_id, None, lang)?;
        for item in
            template.items.iter().filter(|i| matches!(i.answer, crate::inspection::Answer::Number { .. }))
        {
            let t = trend(store, &plan.id, &item.key, first, last, lang)?;
            if t.chart.is_some() {
                let flagged = t.abnormal.iter().filter(|a| **a).count()
                    + t.chart.as_ref().map_or(0, |c| c.points.iter().filter(|p| !p.rules.is_empty()).count());
                found.push((flagged, plan.name.clone(), t));
            }
        }
    }
    // Stable: among equals, the plans' and items' own order.
    found.sort_by_key(|(flagged, _, _)| std::cmp::Reverse(*flagged));
    Ok(found.into_iter().take(KEY_TRENDS).map(|(_, plan, t)| (plan, t)).collect())
}

/// What an import of readings filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ImportedReadings {
    pub runs: u32,
    pub readings: u32,
}

/// The rows of a readings file that cannot be taken, each with its row number; nothing was
/// imported.
#[derive(Debug)]
pub struct ReadingsRefused(pub Vec<crate::people::import::RowError>);

/// How many refused rows a message names.
const ROWS_NAMED: usize = 20;

impl crate::error::Explain for ReadingsRefused {
    fn code(&self) -> &'static str {
        "readings_refused"
    }

    fn message(&self, lang: Lang) -> String {
        let mut lines = vec![match lang {
            Lang::ZhCn => format!("{} 行无法导入，未导入任何读数：", self.0.len()),
            Lang::En => format!("{} rows cannot be imported; no reading was imported:", self.0.len()),
        }];
        for e in self.0.iter().take(ROWS_NAMED) {
            lines.push(match lang {
                Lang::ZhCn => format!("第 {} 行 {}：{}", e.row, e.field, e.message),
                Lang::En => format!("row {} {}: {}", e.row, e.field, e.message),
            });
        }
        if self.0.len() > ROWS_NAMED {
            lines.push(match lang {
                Lang::ZhCn => format!("……另有 {} 行", self.0.len() - ROWS_NAMED),
                Lang::En => format!("… and {} more", self.0.len() - ROWS_NAMED),
            });
        }
        lines.join("\n")
    }
}

/// Fills runs' items from machine-collected `rows` (`inspection::import::read_rows`): each row
/// names a plan (or an asset with one plan holding the item), a time whose service date is the
/// run's due date, an item by key or title, and a value judged like a typed one. The runs stay
/// open for a person to check, submit and sign off. All or nothing: any refused row refuses
/// the file, every refused row named.
pub fn import_readings(
    store: &mut Store,
    rows: &[crate::inspection::import::ReadingRow],
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ImportedReadings> {
    use crate::people::import::RowError;
    generate(store, lang, now)?;
    let plans = store.inspection_plans()?;
    let assets = store.assets()?;
    let mut templates: HashMap<String, Template> = HashMap::new();
    for plan in &plans {
        if !templates.contains_key(&plan.template_id) {
            templates
                .insert(plan.template_id.clone(), store.inspection_template(&plan.template_id, None, lang)?);
        }
    }
    let mut errors: Vec<RowError> = Vec::new();
    let mut refuse = |row: usize, field: &str, message: String| {
        errors.push(RowError { row, field: field.to_owned(), message });
    };
    // Per run: its detail and the forms to fill, with the row that filled each item.
    let mut filled: Vec<(RunDetail, RunForm, HashMap<String, usize>)> = Vec::new();
    for row in rows {
        let Some(date) = row_date(&row.time) else {
            refuse(row.row, "time", crate::error::FieldError::new("time", Rule::InvalidTime).message(lang));
            continue;
        };
        let holds = |plan: &Plan| {
            templates.get(&plan.template_id).and_then(|t| {
                t.items
                    .iter()
                    .find(|i| i.key == row.item.trim() || i.title == row.item.trim())
                    .map(|i| i.key.clone())
            })
        };
        let candidates: Vec<&Plan> = if !row.plan.trim().is_empty() {
            plans.iter().filter(|p| p.id == row.plan.trim() || p.name == row.plan.trim()).collect()
        } else {
            let asset = assets.iter().find(|a| a.name == row.asset.trim() || a.id == row.asset.trim());
            match asset {
                Some(a) => plans
                    .iter()
                    .filter(|p| p.asset_id.as_deref() == Some(a.id.as_str()) && holds(p).is_some())
                    .collect(),
                None => {
                    let field = if row.asset.trim().is_empty() { "plan" } else { "asset" };
                    let value = if field == "plan" { &row.plan } else { &row.asset };
                    refuse(row.row, field, unknown(lang, value));
                    continue;
                }
            }
        };
        let plan = match candidates.as_slice() {
            [one] => *one,
            [] => {
                let (field, value) =
                    if row.plan.trim().is_empty() { ("asset", &row.asset) } else { ("plan", &row.plan) };
                refuse(row.row, field, unknown(lang, value));
                continue;
            }
            _ => {
                refuse(
                    row.row,
                    "asset",
                    lang.pick(
                        "该资产有多个计划含此检查项，请写明计划",
                        "several plans of this asset hold the item; name the plan",
                    )
                    .into(),
                );
                continue;
            }
        };
        let Some(key) = holds(plan) else {
            refuse(row.row, "item", unknown(lang, &row.item));
            continue;
        };
        let position =
            match filled.iter().position(|(d, _, _)| d.run.plan_id == plan.id && d.run.due_date == date) {
                Some(p) => p,
                None => {
                    let query = RunQuery {
                        from: Some(date),
                        to: Some(date),
                        plan_id: Some(plan.id.clone()),
                        ..Default::default()
                    };
                    let Some(run) = store.inspection_runs(&query)?.into_iter().next() else {
                        refuse(
                            row.row,
                            "time",
                            match lang {
                                Lang::ZhCn => format!("计划“{}”在 {date} 没有巡检任务", plan.name),
                                Lang::En => format!("plan “{}” has no run on {date}", plan.name),
                            },
                        );
                        continue;
                    };
                    if run.state != RunState::Open {
                        refuse(
                            row.row,
                            "time",
                            crate::error::Explain::message(&RunRefusal::NotOpen { state: run.state }, lang),
                        );
                        continue;
                    }
                    let detail = run_detail(store, &run.id, lang)?;
                    let form = RunForm {
                        results: detail
                            .results
                            .iter()
                            .map(|r| crate::inspection::ResultForm {
                                key: r.key.clone(),
                                value: r.value.clone(),
                                flagged: r.flagged,
                                note: r.note.clone(),
                                attachments: r.attachments.clone(),
                            })
                            .collect(),
                        note: detail.run.note.clone(),
                    };
                    filled.push((detail, form, HashMap::new()));
                    filled.len() - 1
                }
            };
        let (detail, form, rows_of) = &mut filled[position];
        if let Some(first) = rows_of.get(&key) {
            refuse(
                row.row,
                "item",
                crate::error::FieldError::new("item", Rule::RepeatsRow { row: *first }).message(lang),
            );
            continue;
        }
        let item = detail.template.item(&key).cloned();
        let mut judged = Vec::new();
        if let Some(item) = &item {
            judge(&mut judged, "value".into(), item, &row.value, false);
        }
        if let Some(e) = judged.first() {
            refuse(row.row, "value", e.clone().labelled(crate::inspection::labels).message(lang));
            continue;
        }
        rows_of.insert(key.clone(), row.row);
        if let Some(r) = form.results.iter_mut().find(|r| r.key == key) {
            r.value = row.value.clone();
            if !row.note.trim().is_empty() {
                r.note = row.note.clone();
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::refused(ReadingsRefused(errors)));
    }
    let mut writes = Vec::new();
    let mut readings = 0;
    for (detail, form, rows_of) in &filled {
        let (mut results, note) = check_readings(&detail.template, form, false)?;
        for r in &mut results {
            r.incident_id =
                detail.results.iter().find(|o| o.key == r.key).and_then(|o| o.incident_id.clone());
        }
        readings += rows_of.len() as u32;
        writes.push((detail.run.id.clone(), results, note));
    }
    store.save_runs_results(&writes)?;
    Ok(ImportedReadings { runs: filled.len() as u32, readings })
}

fn unknown(lang: Lang, value: &str) -> String {
    match lang {
        Lang::ZhCn => format!("找不到“{}”", value.trim()),
        Lang::En => format!("“{}” is not known", value.trim()),
    }
}

/// The service date of a row's time: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`.
fn row_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(service_date(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(t.date());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The service calendar (运维服务计划) of `[from, to]`: every active plan's runs (done, due or
/// ahead; a plan of backup items counts as backup work), the client's backups recorded, work
/// orders and routine maintenance falling due, training sessions; and the duty people of each
/// day.
pub fn service_calendar(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<CalendarDay>> {
    let to = to.min(from + Duration::days(92));
    let (start, end) = (service_midnight(from), service_midnight(to + Duration::days(1)));
    let calendar = store.working_calendar()?;
    let workdays = Workdays::new(&calendar);
    let runs = store.inspection_runs(&RunQuery { from: Some(from), to: Some(to), ..Default::default() })?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut name_of = |id: &str| -> String {
        names
            .entry(id.to_owned())
            .or_insert_with(|| store.get_person(id).map(|p| p.details.name).unwrap_or_default())
            .clone()
    };
    let run_state = |run: &Run| {
        if run.overdue(now) {
            lang.pick("已逾期", "Overdue").to_owned()
        } else {
            run.state.name(lang).to_owned()
        }
    };
    let mut entries = Vec::new();
    let mut shown: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for plan in store.inspection_plans()? {
        let template = store.inspection_template(&plan.template_id, None, lang)?;
        let kind = if template.items.iter().all(|i| i.category == crate::inspection::Category::Backup) {
            WorkType::Backup
        } else {
            WorkType::Inspection
        };
        let planned = if plan.active {
            plan.recurrence.dates(plan.first_date, from, to, &workdays)
        } else {
            Vec::new()
        };
        for date in planned {
            let run = runs.iter().find(|r| r.plan_id == plan.id && r.due_date == date);
            if let Some(run) = run {
                shown.insert(run.id.as_str());
            }
            let who = match (run, &plan.assignee) {
                (Some(run), _) => run.assignee_name.clone(),
                (None, Assignee::Person { id }) => name_of(id),
                (None, Assignee::OnDuty) => lang.pick("当班人员", "Whoever is on duty").to_owned(),
            };
            let at = plan.due_at(date);
            entries.push(CalendarEntry {
                kind,
                start: at,
                end: at,
                title: plan.name.clone(),
                who,
                state: run.map(run_state).unwrap_or_default(),
                source: plan.id.clone(),
            });
        }
    }
    // Runs of plans since paused or changed stay on the days they were due.
    for run in runs.iter().filter(|r| !shown.contains(r.id.as_str())) {
        entries.push(CalendarEntry {
            kind: WorkType::Inspection,
            start: run.due_at,
            end: run.due_at,
            title: run.plan_name.clone(),
            who: run.assignee_name.clone(),
            state: run_state(run),
            source: run.plan_id.clone(),
        });
    }
    for b in store.client_backups(start, end)? {
        entries.push(CalendarEntry {
            kind: WorkType::Backup,
            start: b.started_at,
            end: b.finished_at,
            title: format!("{} · {}", b.kind.name(lang), b.system),
            who: b.made_by.clone(),
            state: lang
                .pick(
                    if b.succeeded { "已完成" } else { "失败" },
                    if b.succeeded { "Done" } else { "Failed" },
                )
                .to_owned(),
            source: b.id.clone(),
        });
    }
    let orders = store.work_orders(start, end)?;
    for o in &orders {
        entries.push(CalendarEntry {
            kind: WorkType::Maintenance,
            start: o.window_start,
            end: o.window_end,
            title: format!("{} {}", o.number, o.title),
            who: if o.done_by.is_empty() { o.requested_by.clone() } else { o.done_by.clone() },
            state: o.state.name(lang).to_owned(),
            source: o.id.clone(),
        });
    }
    let last = store.last_routine_dates()?;
    for asset in store.assets()? {
        let Some(due) = next_routine(&asset, last.get(&asset.id).copied()) else { continue };
        if due < from
            || due > to
            || orders
                .iter()
                .any(|o| o.asset_id.as_deref() == Some(asset.id.as_str()) && o.routine_date == Some(due))
        {
            continue;
        }
        let at = crate::inspection::local_instant(
            due,
            chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        entries.push(CalendarEntry {
            kind: WorkType::Maintenance,
            start: at,
            end: at + Duration::hours(2),
            title: match lang {
                Lang::ZhCn => format!("{}例行维护", asset.name),
                Lang::En => format!("Routine maintenance of {}", asset.name),
            },
            who: asset.owner_id.as_deref().map(&mut name_of).unwrap_or_default(),
            state: String::new(),
            source: asset.id.clone(),
        });
    }
    let sessions = store.training_sessions(&crate::training::SessionQuery {
        from: start.to_rfc3339(),
        to: end.to_rfc3339(),
        ..Default::default()
    })?;
    for s in sessions {
        entries.push(CalendarEntry {
            kind: WorkType::Training,
            start: s.start,
            end: s.end,
            title: s.title.clone(),
            who: s.trainer_name.clone(),
            state: String::new(),
            source: s.id.clone(),
        });
    }
    let rota = super::people::rota(store, start, end)?;
    Ok(days(from, to, entries, |date| {
        let (day_start, day_end) = (service_midnight(date), service_midnight(date + Duration::days(1)));
        let mut people: Vec<String> = Vec::new();
        for d in rota.duties.iter().filter(|d| d.start < day_end && d.end > day_start) {
            let name = rota.names.get(&d.person_id).cloned().unwrap_or_default();
            if !name.is_empty() && !people.contains(&name) {
                people.push(name);
            }
        }
        people
    }))
}

/// The service calendar of `[from, to]` as an iCalendar file.
pub fn service_calendar_ics(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<String> {
    Ok(calendar_ics(&service_calendar(store, from, to, lang, now)?, lang, now))
}

/// How many of each kind an asset's history shows.
const HISTORY_EACH: u32 = 100;

/// An asset's history, newest first: its inspection runs (with abnormal items), the incidents on
/// it (by its name as the affected system), its work orders.
pub fn asset_history(store: &Store, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<Vec<HistoryEntry>> {
    let asset = store.asset(id)?;
    let mut out = Vec::new();
    for run in store.runs_of_asset(id, HISTORY_EACH)? {
        let mut state = if run.overdue(now) {
            lang.pick("已逾期", "Overdue").to_owned()
        } else {
            run.state.name(lang).to_owned()
        };
        if run.abnormal > 0 {
            state.push_str(&match lang {
                Lang::ZhCn => format!("，异常 {} 项", run.abnormal),
                Lang::En => format!(", {} abnormal", run.abnormal),
            });
        }
        out.push(HistoryEntry {
            kind: "inspection".into(),
            at: run.due_at,
            title: run.plan_name.clone(),
            state,
            id: run.id.clone(),
        });
    }
    for i in store.incidents_on(&asset.name, HISTORY_EACH)? {
        out.push(HistoryEntry {
            kind: "incident".into(),
            at: i.reported_at,
            title: format!("{} {}", i.number, i.title),
            state: i.status.label(lang).to_owned(),
            id: i.id,
        });
    }
    for order in store.work_orders_of_asset(id, HISTORY_EACH)? {
        out.push(HistoryEntry {
            kind: "maintenance".into(),
            at: order.window_start,
            title: format!("{} {}", order.number, order.title),
            state: order.state.name(lang).to_owned(),
            id: order.id.clone(),
        });
    }
    out.sort_by_key(|h| std::cmp::Reverse(h.at));
    Ok(out)
}

/// Records a backup of a client system (or a restore test).
pub fn add_client_backup(
    store: &mut Store,
    form: &ClientBackupForm,
    now: DateTime<Utc>,
) -> Result<ClientBackup> {
    let record = form.validate(new_id(), now)?;
    if let Some(asset) = &record.asset_id {
        store.asset(asset)?;
    }
    store.add_client_backup(&record)?;
    Ok(record)
}

/// The month beginning `first` against the backup plan, as of `now`.
pub fn backup_compliance(store: &Store, first: NaiveDate, now: DateTime<Utc>) -> Result<BackupCompliance> {
    let quarter_first = NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&first),
        (chrono::Datelike::month(&first) - 1) / 3 * 3 + 1,
        1,
    )
    .unwrap_or(first);
    // Weeks may start in the month before; the quarter's restore test may lie two months back.
    let from = service_midnight(quarter_first.min(first - Duration::days(7)));
    let to = service_midnight(first + Duration::days(40));
    Ok(compliance(first, &store.client_backups(from, to)?, service_date(now)))
}

pub fn save_asset(
    store: &mut Store,
    id: Option<&str>,
    form: &AssetForm,
    now: DateTime<Utc>,
) -> Result<Asset> {
    let old = id.map(|id| store.asset(id)).transpose()?;
    let asset = form.validate(old.as_ref().map_or_else(new_id, |o| o.id.clone()), old.as_ref(), now)?;
    if let Some(owner) = &asset.owner_id {
        if store.get_person(owner).is_err() {
            return Err(Error::invalid(
                vec![FieldError::new("owner_id", Rule::Unknown { value: owner.clone() })],
                crate::inspection::assets::asset_labels,
            ));
        }
    }
    store.write_asset(&asset)?;
    Ok(asset)
}

pub fn request_work(store: &mut Store, form: &WorkOrderForm, now: DateTime<Utc>) -> Result<WorkOrder> {
    let valid = form.validate()?;
    if let Some(asset) = &valid.asset_id {
        store.asset(asset)?;
    }
    store
        .create_work_order(valid, None, now)?
        .ok_or_else(|| Error::NotFound { what: Missing::WorkOrder, id: String::new() })
}

pub fn work_step(store: &mut Store, id: &str, step: &WorkStep, now: DateTime<Utc>) -> Result<WorkOrder> {
    let order = apply_step(&store.work_order(id)?, step, now)?;
    store.write_work_order(&order)?;
    Ok(order)
}

/// The figures of the month beginning `first`.
pub fn month_figures(
    store: &Store,
    first: NaiveDate,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<MonthFigures> {
    let last = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first) - Duration::days(1);
    let runs =
        store.inspection_runs(&RunQuery { from: Some(first), to: Some(last), ..Default::default() })?;
    let mut plans: BTreeMap<String, PlanMonth> = BTreeMap::new();
    let mut missed = Vec::new();
    for run in &runs {
        let row = plans.entry(run.plan_id.clone()).or_insert_with(|| PlanMonth {
            plan_id: run.plan_id.clone(),
            name: run.plan_name.clone(),
            ..Default::default()
        });
        row.planned += 1;
        row.done += u32::from(run.state.done());
        row.on_time += u32::from(run.on_time());
        row.missed += u32::from(run.state == RunState::Missed);
        row.abnormal += run.abnormal;
        if run.state == RunState::Missed {
            missed.push(MissedRow {
                plan_name: run.plan_name.clone(),
                due_date: run.due_date,
                assignee: run.assignee_name.clone(),
            });
        }
    }
    let mut plans: Vec<PlanMonth> = plans.into_values().collect();
    plans.sort_by(|a, b| a.name.cmp(&b.name));
    let total = plans.iter().fold(
        PlanMonth { name: lang.pick("合计", "Total").into(), ..Default::default() },
        |mut t, p| {
            t.planned += p.planned;
            t.done += p.done;
            t.on_time += p.on_time;
            t.missed += p.missed;
            t.abnormal += p.abnormal;
            t
        },
    );
    let by_run: HashMap<&str, &Run> = runs.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut templates: HashMap<(String, u32), Template> = HashMap::new();
    let assets: HashMap<String, String> = store.assets()?.into_iter().map(|a| (a.id, a.name)).collect();
    let mut by_category: BTreeMap<crate::inspection::Category, u32> = BTreeMap::new();
    let mut by_asset: BTreeMap<String, u32> = BTreeMap::new();
    let mut incidents = Vec::new();
    for answer in store.results_between(first, last)?.into_iter().filter(|a| a.abnormal) {
        let Some(run) = by_run.get(answer.run_id.as_str()) else { continue };
        let tkey = (run.template_id.clone(), run.template_version);
        if !templates.contains_key(&tkey) {
            let t = store.inspection_template(&run.template_id, Some(run.template_version), lang)?;
            templates.insert(tkey.clone(), t);
        }
        let item = templates.get(&tkey).and_then(|t| t.item(&answer.key));
        if let Some(item) = item {
            *by_category.entry(item.category).or_default() += 1;
        }
        let asset = run.asset_id.as_ref().and_then(|a| assets.get(a)).cloned();
        *by_asset.entry(asset.unwrap_or_else(|| lang.pick("未指定资产", "No asset").into())).or_default() +=
            1;
        if let Some(incident) = &answer.incident_id {
            if let Some((number, status)) = store.incident_brief(incident)? {
                let status = status.label(lang).to_owned();
                incidents.push(RaisedRow {
                    number,
                    status,
                    plan_name: run.plan_name.clone(),
                    item: item.map_or_else(|| answer.key.clone(), |i| i.title.clone()),
                    due_date: run.due_date,
                });
            }
        }
    }
    let mut by_category: Vec<Counted> =
        by_category.into_iter().map(|(c, count)| Counted { name: c.name(lang).into(), count }).collect();
    by_category.sort_by_key(|c| std::cmp::Reverse(c.count));
    let mut by_asset: Vec<Counted> =
        by_asset.into_iter().map(|(name, count)| Counted { name, count }).collect();
    by_asset.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    incidents.sort_by(|a, b| a.number.cmp(&b.number));
    incidents.dedup_by(|a, b| a.number == b.number && a.item == b.item);
    Ok(MonthFigures {
        month: first.format("%Y-%m").to_string(),
        plans,
        total,
        by_category,
        by_asset,
        incidents,
        missed,
        backups: backup_compliance(store, first, now)?,
    })
}

/// Removes a plan before its first run.
pub fn delete_plan(store: &mut Store, id: &str) -> Result<()> {
    store.delete_inspection_plan(id)
}

/// The people who may sign runs off (project manager and quality staff), for the screen.
pub fn signers(store: &Store, now: DateTime<Utc>) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for department in [Department::ProjectManager, Department::Quality] {
        let query =
            PeopleQuery { kind: "team".into(), department: department.code().into(), ..Default::default() };
        names.extend(store.list_people(&query, service_date(now))?.into_iter().map(|p| p.details.name));
    }
    Ok(names)
}
