//! Routine service (例行运维): inspections (巡检) by check-list templates on recurring plans,
//! their runs and readings, the client's backups and restore tests, the asset register and
//! maintenance work orders. Pure rules and value types; the store keeps them and `app::inspection`
//! brings them together.
//!
//! A plan falls due by its [`Recurrence`]; each due date is one run (the store refuses a second
//! for the same plan and date, so generating twice makes nothing new). A run still open when its
//! plan's next run falls due is **missed**: after ten days with the laptop shut, the ten runs
//! are there, missed, not silently skipped.

pub mod assets;
pub mod backups;
pub mod calendar;
pub mod figures;
pub mod import;
pub mod recurrence;
pub mod spreadsheet;
pub mod template;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use recurrence::{Recurrence, Workdays};
pub use template::{judge, Answer, Category, Item, Template};

use crate::error::Rule;
use crate::text::Kind;
use crate::zone::SERVICE_TZ;
use crate::{Error, FieldError, Lang, Result};

/// The most a run catches up in one go (a plan that was paused for longer starts afresh).
pub const CATCH_UP_DAYS: i64 = 400;
/// The largest attachment, in bytes.
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Who does a plan's runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    /// A named member of the team.
    Person { id: String },
    /// Whoever the rota has on duty when the run falls due.
    OnDuty,
}

/// A recurring inspection: a template, when, and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionPlan")]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub template_id: String,
    pub recurrence: Recurrence,
    #[ts(type = "string")]
    pub first_date: NaiveDate,
    /// Local time of day the run is due (e.g. 10:00).
    #[ts(type = "string")]
    pub due_time: NaiveTime,
    pub assignee: Assignee,
    /// Who takes the run when the assignee cannot (no one on duty, the person has left).
    pub relay_id: Option<String>,
    pub asset_id: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Plan {
    /// The instant the run of `date` is due.
    pub fn due_at(&self, date: NaiveDate) -> DateTime<Utc> {
        local_instant(date, self.due_time)
    }

    /// The dates runs are owed for, from the day after `last` (or the plan's start) to `today`:
    /// none before the plan was made, none for a paused plan, at most [`CATCH_UP_DAYS`].
    pub fn dates_owed(
        &self,
        last: Option<NaiveDate>,
        today: NaiveDate,
        workdays: &Workdays,
    ) -> Vec<NaiveDate> {
        if !self.active {
            return Vec::new();
        }
        let made = crate::zone::service_date(self.created_at);
        let mut from = self.first_date.max(made);
        if let Some(last) = last {
            from = from.max(last + Duration::days(1));
        }
        from = from.max(today - Duration::days(CATCH_UP_DAYS));
        self.recurrence.dates(self.first_date, from, today, workdays)
    }

    /// When the run of `date` closes: when the next run falls due (a day after its own due time
    /// when there is none within a year).
    pub fn closes_at(&self, date: NaiveDate, workdays: &Workdays) -> DateTime<Utc> {
        match self.recurrence.next_after(self.first_date, date, workdays) {
            Some(next) => self.due_at(next),
            None => self.due_at(date) + Duration::days(1),
        }
    }
}

/// `time` on `date` in the service zone (the first instant after a skipped hour).
pub fn local_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    crate::zone::from_service_local(date.and_time(time))
}

/// The plan form as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(rename = "InspectionPlanForm")]
pub struct PlanForm {
    pub name: String,
    pub template_id: String,
    pub recurrence: Recurrence,
    /// `YYYY-MM-DD`.
    pub first_date: String,
    /// `HH:MM`.
    pub due_time: String,
    /// A person id, or `on_duty`.
    pub assignee: String,
    pub relay_id: String,
    pub asset_id: String,
    pub active: bool,
}

impl Default for PlanForm {
    fn default() -> Self {
        PlanForm {
            name: String::new(),
            template_id: String::new(),
            recurrence: Recurrence::WorkingDays,
            first_date: String::new(),
            due_time: "10:00".into(),
            assignee: ON_DUTY.into(),
            relay_id: String::new(),
            asset_id: String::new(),
            active: true,
        }
    }
}

/// The plan form's value for "whoever is on duty".
pub const ON_DUTY: &str = "on_duty";

/// A plan form checked on its own; whether the template, people and asset exist is the
/// service's check.
pub struct ValidPlan {
    pub name: String,
    pub template_id: String,
    pub recurrence: Recurrence,
    pub first_date: NaiveDate,
    pub due_time: NaiveTime,
    pub assignee: Assignee,
    pub relay_id: Option<String>,
    pub asset_id: Option<String>,
    pub active: bool,
}

impl PlanForm {
    pub fn validate(&self) -> Result<ValidPlan> {
        let mut errors = Vec::new();
        let name =
            crate::text::check(&mut errors, "name", &self.name, template::NAME_MAX_CHARS, true, Kind::Line);
        if crate::text::is_blank(&self.template_id) {
            errors.push(FieldError::new("template_id", Rule::NotChosen));
        }
        self.recurrence.check(&mut errors, "recurrence");
        let first_date = crate::text::required_date(&mut errors, "first_date", &self.first_date);
        let due_time = crate::text::time_of_day(&mut errors, "due_time", &self.due_time);
        let assignee = match crate::text::trim(&self.assignee) {
            "" => {
                errors.push(FieldError::new("assignee", Rule::NotChosen));
                Assignee::OnDuty
            }
            ON_DUTY => Assignee::OnDuty,
            id => Assignee::Person { id: id.to_owned() },
        };
        let optional = |v: &str| Some(crate::text::trim(v).to_owned()).filter(|v| !v.is_empty());
        let relay_id = optional(&self.relay_id);
        if matches!(&assignee, Assignee::Person { id } if Some(id) == relay_id.as_ref()) {
            errors.push(FieldError::new("relay_id", Rule::Duplicate));
        }
        match (first_date, due_time) {
            (Some(first_date), Some(due_time)) if errors.is_empty() => Ok(ValidPlan {
                name,
                template_id: crate::text::trim(&self.template_id).to_owned(),
                recurrence: self.recurrence.clone(),
                first_date,
                due_time,
                assignee,
                relay_id,
                asset_id: optional(&self.asset_id),
                active: self.active,
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "InspectionRunState")]
pub enum RunState {
    /// Waiting for its readings (overdue once past its due time).
    Open,
    /// Readings submitted, waiting for the PM's or quality staff's sign-off.
    Submitted,
    SignedOff,
    /// Still open when the plan's next run fell due.
    Missed,
}

impl RunState {
    pub fn code(self) -> &'static str {
        match self {
            RunState::Open => "open",
            RunState::Submitted => "submitted",
            RunState::SignedOff => "signed_off",
            RunState::Missed => "missed",
        }
    }

    pub fn from_code(code: &str) -> Option<RunState> {
        [RunState::Open, RunState::Submitted, RunState::SignedOff, RunState::Missed]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            RunState::Open => lang.pick("待执行", "Open"),
            RunState::Submitted => lang.pick("待签核", "Awaiting sign-off"),
            RunState::SignedOff => lang.pick("已签核", "Signed off"),
            RunState::Missed => lang.pick("已错过", "Missed"),
        }
    }

    /// Readings done (submitted or signed off).
    pub fn done(self) -> bool {
        matches!(self, RunState::Submitted | RunState::SignedOff)
    }
}

/// One period's inspection of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionRun")]
pub struct Run {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub template_id: String,
    pub template_version: u32,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub assignee_id: Option<String>,
    pub assignee_name: String,
    pub asset_id: Option<String>,
    pub state: RunState,
    /// How many items were answered abnormal.
    pub abnormal: u32,
    pub note: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: String,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub signed_off_by: String,
}

impl Run {
    /// Open past its due time.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.state == RunState::Open && now > self.due_at
    }

    /// "巡检逾期：数据库日检（2026-11-27）" / "Inspection overdue: …", for a desktop alert.
    pub fn alert_headline(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("巡检逾期：{}（{}）", self.plan_name, self.due_date),
            Lang::En => format!("Inspection overdue: {} ({})", self.plan_name, self.due_date),
        }
    }

    /// Who it falls to and when it was due.
    pub fn alert_body(&self, lang: Lang) -> String {
        let due = self.due_at.with_timezone(&SERVICE_TZ).format("%H:%M");
        let who = if self.assignee_name.is_empty() {
            lang.pick("未指派", "unassigned")
        } else {
            &self.assignee_name
        };
        match lang {
            Lang::ZhCn => format!("执行人 {who}，截止 {due}"),
            Lang::En => format!("Assigned to {who}, due {due}"),
        }
    }

    /// Submitted no later than its due time.
    pub fn on_time(&self) -> bool {
        self.state.done() && self.submitted_at.is_some_and(|at| at <= self.due_at)
    }
}

/// A file kept with a reading, stored once by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachmentRef {
    pub sha256: String,
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
}

/// The answer to one item of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ItemResult {
    pub key: String,
    /// As kept: `pass`/`fail`, a number, a choice, text; empty when not answered.
    pub value: String,
    pub number: Option<f64>,
    pub abnormal: bool,
    /// The person marked it abnormal themselves.
    pub flagged: bool,
    pub note: String,
    pub attachments: Vec<AttachmentRef>,
    /// The incident raised for it (or the open one it was linked to).
    pub incident_id: Option<String>,
    pub incident_number: Option<String>,
}

/// A run with its check-list and answers, and each numeric item's previous reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionRunDetail")]
pub struct RunDetail {
    pub run: Run,
    pub template: Template,
    pub results: Vec<ItemResult>,
    pub previous: Vec<PreviousReading>,
    /// The corrective actions (整改项) raised from the run's abnormal items.
    pub actions: Vec<crate::corrective::CorrectiveAction>,
}

/// The last reading of an item before this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviousReading {
    pub key: String,
    pub value: String,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    pub abnormal: bool,
}

/// Readings as typed into the run form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(rename = "InspectionRunForm")]
pub struct RunForm {
    pub results: Vec<ResultForm>,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ResultForm {
    pub key: String,
    pub value: String,
    pub flagged: bool,
    pub note: String,
    /// The files kept with it (each uploaded first, named as the user's file was).
    pub attachments: Vec<AttachmentRef>,
}

/// The readings of `form` judged against `template`: every refusal at once. With `submit`,
/// required items must be answered and abnormal ones needing evidence must carry it.
pub fn check_readings(
    template: &Template,
    form: &RunForm,
    submit: bool,
) -> Result<(Vec<ItemResult>, String)> {
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for (i, item) in template.items.iter().enumerate() {
        let field = |name: &str| format!("results.{i}.{name}");
        let typed = form.results.iter().find(|r| r.key == item.key);
        let blank = ResultForm::default();
        let typed = typed.unwrap_or(&blank);
        let judged = judge(&mut errors, field("value"), item, &typed.value, typed.flagged);
        let note = crate::text::check(
            &mut errors,
            field("note"),
            &typed.note,
            template::TEXT_MAX_CHARS,
            false,
            Kind::Block,
        );
        if submit && item.required && judged.is_none() && !errors.iter().any(|e| e.field == field("value")) {
            errors.push(FieldError::new(field("value"), Rule::Required));
        }
        let abnormal = judged.as_ref().is_some_and(|j| j.abnormal);
        if submit && abnormal && item.attachment_when_abnormal && typed.attachments.is_empty() {
            errors.push(FieldError::new(field("attachments"), Rule::Required));
        }
        results.push(ItemResult {
            key: item.key.clone(),
            value: judged.as_ref().map(|j| j.value.clone()).unwrap_or_default(),
            number: judged.as_ref().and_then(|j| j.number),
            abnormal,
            flagged: typed.flagged && judged.is_some(),
            note,
            attachments: typed
                .attachments
                .iter()
                .enumerate()
                .map(|(n, a)| AttachmentRef {
                    sha256: a.sha256.clone(),
                    name: crate::text::check(
                        &mut errors,
                        format!("results.{i}.attachments.{n}"),
                        &a.name,
                        100,
                        true,
                        Kind::Line,
                    ),
                    size: a.size,
                })
                .collect(),
            incident_id: None,
            incident_number: None,
        });
    }
    if let Some(unknown) = form.results.iter().find(|r| template.item(&r.key).is_none()) {
        errors.push(FieldError::new("results", Rule::Unknown { value: unknown.key.clone() }));
    }
    let note =
        crate::text::check(&mut errors, "note", &form.note, template::TEXT_MAX_CHARS, false, Kind::Block);
    if !errors.is_empty() {
        return Err(Error::invalid(errors, labels));
    }
    Ok((results, note))
}

/// The title, level and description of the incident an abnormal item raises.
pub struct IncidentDraft {
    pub title: String,
    pub level: crate::level::Level,
    pub description: String,
}

/// What an abnormal `result` of `item` on `run` says as an incident.
pub fn incident_draft(run: &Run, item: &Item, result: &ItemResult, lang: Lang) -> IncidentDraft {
    let unit = match &item.answer {
        Answer::Number { unit, .. } => unit.as_str(),
        _ => "",
    };
    let shown = match result.value.as_str() {
        "pass" => lang.pick("正常", "pass").to_owned(),
        "fail" => lang.pick("异常", "fail").to_owned(),
        v if unit.is_empty() => v.to_owned(),
        v => format!("{v} {unit}"),
    };
    let range = template::range_text(&item.answer);
    let mut description = match lang {
        Lang::ZhCn => {
            format!("巡检“{}”（{}）发现异常：{}，读数 {}", run.plan_name, run.due_date, item.title, shown)
        }
        Lang::En => format!(
            "Inspection “{}” ({}) found an abnormal reading: {}, {}",
            run.plan_name, run.due_date, item.title, shown
        ),
    };
    if !range.is_empty() {
        description.push_str(&match lang {
            Lang::ZhCn => format!("（正常范围 {range}）"),
            Lang::En => format!(" (normal {range})"),
        });
    }
    if !result.note.is_empty() {
        description.push('\n');
        description.push_str(&result.note);
    }
    let title = match lang {
        Lang::ZhCn => format!("巡检异常：{}", item.title),
        Lang::En => format!("Inspection: {}", item.title),
    };
    IncidentDraft {
        title: title.chars().take(crate::incident::TITLE_MAX_CHARS).collect(),
        level: item.level,
        description,
    }
}

/// Today's inspections at a glance (the Dashboard's card).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "InspectionToday")]
pub struct Today {
    /// Runs due today.
    pub due: u32,
    /// Of those, submitted or signed off.
    pub done: u32,
    /// Open past their due time (any day).
    pub overdue: u32,
    /// Submitted, waiting for sign-off.
    pub to_sign_off: u32,
    /// Abnormal items of today's runs.
    pub abnormal: u32,
}

/// How the plan and run forms name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    Some(match last {
        "name" => lang.pick("计划名称", "Plan name"),
        "template_id" => lang.pick("巡检模板", "Template"),
        "recurrence" => lang.pick("周期", "Recurrence"),
        "first_date" => lang.pick("开始日期", "First date"),
        "due_time" => lang.pick("截止时间", "Due time"),
        "assignee" => lang.pick("执行人", "Assignee"),
        "relay_id" => lang.pick("替补人", "Relay person"),
        "asset_id" => lang.pick("资产", "Asset"),
        "value" => lang.pick("检查结果", "Result"),
        "note" => lang.pick("备注", "Note"),
        "attachments" => lang.pick("附件（异常时必须上传）", "Attachment (required when abnormal)"),
        "results" => lang.pick("检查项", "Check items"),
        "signer" => lang.pick("签核人", "Signed off by"),
        _ => return None,
    })
}

/// Why a run cannot take what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunRefusal {
    /// Readings are entered only on an open run.
    NotOpen { state: RunState },
    /// Only a submitted run is signed off.
    NotSubmitted { state: RunState },
    /// Sign-off is for the project manager or quality staff; the current user is someone else
    /// (or not chosen from the roster).
    NotASigner { user: String },
    /// An incident is raised for an abnormal answer only.
    NotAbnormal { item: String },
    /// Plans are removed only before their first run; one with runs is paused instead.
    PlanHasRuns,
}

impl crate::error::Explain for RunRefusal {
    fn code(&self) -> &'static str {
        match self {
            RunRefusal::NotOpen { .. } => "run_not_open",
            RunRefusal::NotSubmitted { .. } => "run_not_submitted",
            RunRefusal::NotASigner { .. } => "not_a_signer",
            RunRefusal::NotAbnormal { .. } => "not_abnormal",
            RunRefusal::PlanHasRuns => "plan_has_runs",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RunRefusal::NotOpen { state }, Lang::ZhCn) => {
                format!("该巡检{}，不能再修改检查结果", state.name(lang))
            }
            (RunRefusal::NotOpen { state }, Lang::En) => {
                format!("This run is {}; its readings can no longer change", state.name(lang).to_lowercase())
            }
            (RunRefusal::NotSubmitted { state }, Lang::ZhCn) => {
                format!("该巡检{}，只有已提交的巡检可以签核", state.name(lang))
            }
            (RunRefusal::NotSubmitted { state }, Lang::En) => format!(
                "This run is {}; only a submitted run can be signed off",
                state.name(lang).to_lowercase()
            ),
            (RunRefusal::NotASigner { user }, Lang::ZhCn) => {
                format!("签核须由项目经理或质量人员进行；当前用户“{user}”不是。请在“设置”中从花名册选择本人")
            }
            (RunRefusal::NotASigner { user }, Lang::En) => format!(
                "Sign-off is for the project manager or quality staff, and the current user “{user}” is \
                 neither; choose yourself from the roster in Settings"
            ),
            (RunRefusal::NotAbnormal { item }, Lang::ZhCn) => format!("“{item}”的结果正常，无需创建故障"),
            (RunRefusal::NotAbnormal { item }, Lang::En) => {
                format!("“{item}” is normal; there is no incident to raise")
            }
            (RunRefusal::PlanHasRuns, Lang::ZhCn) => "该计划已有巡检记录，不能删除；可将其停用".into(),
            (RunRefusal::PlanHasRuns, Lang::En) => {
                "This plan has runs on record and cannot be removed; pause it instead".into()
            }
        }
    }
}
