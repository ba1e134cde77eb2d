//! An incident's timeline: the events that can happen to it, the rules for which may follow
//! which, and the state you get by replaying them. Nothing here is stored as derived truth:
//! status, level, assignee and every SLA figure come from [`IncidentState::replay`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::instant::parse_past_instant;
use crate::level::Level;
use crate::text::Kind;
use crate::{Error, Lang, Result};

pub const TEXT_MAX_CHARS: usize = 5000;

/// A person's name on an event (`assigned`, and who did it).
pub const PERSON_MAX_CHARS: usize = 50;

/// Checks who did a step of an activated emergency plan.
pub fn check_step_person(person: &str) -> Result<String> {
    let mut errors = Vec::new();
    let person = crate::text::check(&mut errors, "person", person, PERSON_MAX_CHARS, true, Kind::Line);
    if errors.is_empty() {
        Ok(person)
    } else {
        Err(Error::invalid(errors, crate::contingency::labels))
    }
}

/// Which plan a `plan_submitted` event delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 故障处理方案: due within 2 h for level I.
    Handling,
    /// 应急方案: due at 16 h when a level I incident is not resolved in 12 h.
    Emergency,
}

/// A category code as a form sends it: trimmed, upper case.
fn code(value: &str) -> String {
    crate::text::trim(value).to_uppercase()
}

/// What the incident report (故障处理报告) states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportFields {
    /// 故障种类
    pub fault_type: String,
    /// 故障原因
    pub cause: String,
    /// 解决方法
    pub method: String,
    /// 故障损失
    pub losses: String,
    /// What was done to protect data and restore the pre-fault state.
    #[serde(default)]
    pub data_protection: String,
    /// Follow-up actions (后续措施) to keep the fault from coming back.
    #[serde(default)]
    pub follow_up: String,
    /// The fault-type category chosen from the list (its code); `fault_type` is then detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub fault_type_code: String,
    /// The cause category chosen from the list (its code); `cause` is then detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub cause_code: String,
}

impl ReportFields {
    /// The analysis as typed so far, to keep as a draft: nothing is required yet, but each
    /// field keeps the length and character rules of a submitted report.
    pub fn parse_draft(&self) -> Result<ReportFields> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: &str| -> String {
            crate::text::check(&mut errors, field, value, TEXT_MAX_CHARS, false, Kind::Block)
        };
        let draft = ReportFields {
            fault_type: text("fault_type", &self.fault_type),
            cause: text("cause", &self.cause),
            method: text("method", &self.method),
            losses: text("losses", &self.losses),
            data_protection: text("data_protection", &self.data_protection),
            follow_up: text("follow_up", &self.follow_up),
            fault_type_code: code(&self.fault_type_code),
            cause_code: code(&self.cause_code),
        };
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(Error::invalid(errors, labels))
        }
    }

    pub fn is_empty(&self) -> bool {
        [
            &self.fault_type,
            &self.cause,
            &self.method,
            &self.losses,
            &self.data_protection,
            &self.follow_up,
            &self.fault_type_code,
            &self.cause_code,
        ]
        .iter()
        .all(|v| v.is_empty())
    }
}

/// One thing that happened to an incident, with what it needs to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventData {
    Reported,
    Responded,
    PlanSubmitted {
        plan: PlanKind,
        /// What the plan says. Required since plans carried their text; empty on older records.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        text: String,
        /// The id of the emergency plan activated on this incident that it follows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        contingency: Option<String>,
    },
    /// An emergency plan (应急预案) is put to work: a copy of its steps at the version activated
    /// becomes the incident's check-list.
    PlanActivated {
        plan_id: String,
        name: String,
        version: u32,
        steps: Vec<crate::contingency::Step>,
    },
    /// A step of an activated plan was done, by `person`.
    StepDone {
        plan_id: String,
        /// Its index in the activated copy.
        step: u32,
        title: String,
        person: String,
    },
    /// Remote help failed: an engineer must be on site within the policy's time.
    OnSiteRequested,
    EngineerOnSite,
    Workaround {
        summary: String,
    },
    Paused {
        reason: String,
    },
    Resumed,
    LevelChanged {
        from: Level,
        to: Level,
        reason: String,
    },
    Assigned {
        person: String,
        /// The roster record of the person, when assigned from the roster.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        person_id: Option<String>,
    },
    Note {
        text: String,
    },
    Resolved {
        summary: String,
    },
    Reopened {
        reason: String,
    },
    ReportSubmitted {
        report: ReportFields,
        /// The signed report revision this submission stored, when it was signed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        revision: Option<u32>,
    },
    Closed,
}

impl EventData {
    /// A plan submitted without text or an activated plan: what records before plan text
    /// hold, and what probes and tests use.
    pub fn plan_submitted(plan: PlanKind) -> EventData {
        EventData::PlanSubmitted { plan, text: String::new(), contingency: None }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            EventData::Reported => "reported",
            EventData::Responded => "responded",
            EventData::PlanSubmitted { .. } => "plan_submitted",
            EventData::PlanActivated { .. } => "plan_activated",
            EventData::StepDone { .. } => "step_done",
            EventData::OnSiteRequested => "on_site_requested",
            EventData::EngineerOnSite => "engineer_on_site",
            EventData::Workaround { .. } => "workaround",
            EventData::Paused { .. } => "paused",
            EventData::Resumed => "resumed",
            EventData::LevelChanged { .. } => "level_changed",
            EventData::Assigned { .. } => "assigned",
            EventData::Note { .. } => "note",
            EventData::Resolved { .. } => "resolved",
            EventData::Reopened { .. } => "reopened",
            EventData::ReportSubmitted { .. } => "report_submitted",
            EventData::Closed => "closed",
        }
    }
}

/// An action on an incident as the event form sends it, by kind, each kind carrying only what it
/// needs (raw text, checked when recorded). What the form asks for each kind is read from
/// [`EventInput::blanks`], so the window never keeps its own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventInput {
    Responded,
    /// `plan`: `handling` or `emergency`; `text`: what it says; `contingency`: the id of an
    /// emergency plan activated on the incident that it follows (then `text` may be empty).
    PlanSubmitted {
        #[serde(default)]
        plan: String,
        #[serde(default)]
        text: String,
        #[serde(default)]
        contingency: String,
    },
    OnSiteRequested,
    EngineerOnSite,
    Workaround {
        #[serde(default)]
        summary: String,
    },
    Paused {
        #[serde(default)]
        reason: String,
    },
    Resumed,
    /// `level`: the new level.
    LevelChanged {
        #[serde(default)]
        level: String,
        #[serde(default)]
        reason: String,
    },
    /// `person_id`: the roster id of `person` when picked from the roster, else empty.
    Assigned {
        #[serde(default)]
        person: String,
        #[serde(default)]
        person_id: String,
    },
    Note {
        #[serde(default)]
        text: String,
    },
    Resolved {
        #[serde(default)]
        summary: String,
    },
    Reopened {
        #[serde(default)]
        reason: String,
    },
    ReportSubmitted {
        #[serde(default)]
        report: ReportFields,
    },
    Closed,
}

impl EventInput {
    /// Its kind, as [`EventData::kind`] names it.
    pub fn kind(&self) -> &'static str {
        match self {
            EventInput::Responded => "responded",
            EventInput::PlanSubmitted { .. } => "plan_submitted",
            EventInput::OnSiteRequested => "on_site_requested",
            EventInput::EngineerOnSite => "engineer_on_site",
            EventInput::Workaround { .. } => "workaround",
            EventInput::Paused { .. } => "paused",
            EventInput::Resumed => "resumed",
            EventInput::LevelChanged { .. } => "level_changed",
            EventInput::Assigned { .. } => "assigned",
            EventInput::Note { .. } => "note",
            EventInput::Resolved { .. } => "resolved",
            EventInput::Reopened { .. } => "reopened",
            EventInput::ReportSubmitted { .. } => "report_submitted",
            EventInput::Closed => "closed",
        }
    }

    /// One empty input of every kind a person may record, in the order of an incident's life.
    pub fn blanks() -> Vec<EventInput> {
        let text = String::new;
        vec![
            EventInput::Responded,
            EventInput::PlanSubmitted { plan: text(), text: text(), contingency: text() },
            EventInput::OnSiteRequested,
            EventInput::EngineerOnSite,
            EventInput::Workaround { summary: text() },
            EventInput::Paused { reason: text() },
            EventInput::Resumed,
            EventInput::LevelChanged { level: text(), reason: text() },
            EventInput::Assigned { person: text(), person_id: text() },
            EventInput::Note { text: text() },
            EventInput::Resolved { summary: text() },
            EventInput::Reopened { reason: text() },
            EventInput::ReportSubmitted { report: ReportFields::default() },
            EventInput::Closed,
        ]
    }
}

/// The event form: when it happened (RFC 3339; empty means now) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventForm {
    #[serde(default)]
    pub occurred_at: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub event: EventInput,
}

impl From<EventForm> for NewEvent {
    fn from(form: EventForm) -> NewEvent {
        let base =
            NewEvent { kind: form.event.kind().into(), occurred_at: form.occurred_at, ..NewEvent::default() };
        match form.event {
            EventInput::Responded
            | EventInput::OnSiteRequested
            | EventInput::EngineerOnSite
            | EventInput::Resumed
            | EventInput::Closed => base,
            EventInput::PlanSubmitted { plan, text, contingency } => {
                NewEvent { plan, text, contingency, ..base }
            }
            EventInput::Workaround { summary } | EventInput::Resolved { summary } => {
                NewEvent { summary, ..base }
            }
            EventInput::Paused { reason } | EventInput::Reopened { reason } => NewEvent { reason, ..base },
            EventInput::LevelChanged { level, reason } => NewEvent { level, reason, ..base },
            EventInput::Assigned { person, person_id } => NewEvent { person, person_id, ..base },
            EventInput::Note { text } => NewEvent { text, ..base },
            EventInput::ReportSubmitted { report } => NewEvent { report, ..base },
        }
    }
}

/// An event as entered, flat: raw text, checked by [`NewEvent::parse`]; only the fields the kind
/// needs are read. The event form ([`EventForm`]) and import files arrive in this shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: String,
    /// RFC 3339; empty means now.
    pub occurred_at: String,
    pub reason: String,
    pub summary: String,
    pub person: String,
    /// For `assigned`: the roster id of `person`, when picked from the roster.
    pub person_id: String,
    pub text: String,
    /// For `level_changed`: the new level.
    pub level: String,
    /// For `plan_submitted`: `handling` (default) or `emergency`.
    pub plan: String,
    /// For `plan_submitted`: the id of the activated emergency plan it follows.
    pub contingency: String,
    pub report: ReportFields,
}

impl NewEvent {
    /// Checks the fields the kind needs and returns the event data and its time. `level` is
    /// the incident's current level (the `from` of a level change).
    pub fn parse(&self, level: Level, now: DateTime<Utc>) -> Result<(EventData, DateTime<Utc>)> {
        let mut errors = Vec::new();
        let at = match self.occurred_at.trim() {
            "" => Some(now),
            text => parse_past_instant(&mut errors, "occurred_at", text, now),
        };
        let mut text = |field: &'static str, value: &str, required: bool| -> String {
            crate::text::check(&mut errors, field, value, TEXT_MAX_CHARS, required, Kind::Block)
        };
        let data = match self.kind.trim() {
            "responded" => EventData::Responded,
            "plan_submitted" => {
                // The event form requires what the plan says, or the activated plan it follows
                // (`app::incidents::record_event`); imported records may predate plan text.
                let text = text("text", &self.text, false);
                let plan = match self.plan.trim() {
                    "" | "handling" => PlanKind::Handling,
                    "emergency" => PlanKind::Emergency,
                    other => {
                        errors.push(FieldError::new("plan", Rule::Unknown { value: other.to_owned() }));
                        PlanKind::Handling
                    }
                };
                let contingency = Some(self.contingency.trim().to_owned()).filter(|c| !c.is_empty());
                EventData::PlanSubmitted { plan, text, contingency }
            }
            "on_site_requested" => EventData::OnSiteRequested,
            "engineer_on_site" => EventData::EngineerOnSite,
            "workaround" => EventData::Workaround { summary: text("summary", &self.summary, true) },
            "paused" => EventData::Paused { reason: text("reason", &self.reason, true) },
            "resumed" => EventData::Resumed,
            "level_changed" => {
                let reason = text("reason", &self.reason, true);
                let to = match Level::from_code(self.level.trim()) {
                    Some(to) => to,
                    None => {
                        let rule = match self.level.trim() {
                            "" => Rule::NotChosen,
                            v => Rule::Unknown { value: v.to_owned() },
                        };
                        errors.push(FieldError::new("level", rule));
                        level
                    }
                };
                EventData::LevelChanged { from: level, to, reason }
            }
            "assigned" => EventData::Assigned {
                person: crate::text::check(
                    &mut errors,
                    "person",
                    &self.person,
                    PERSON_MAX_CHARS,
                    true,
                    Kind::Line,
                ),
                person_id: Some(self.person_id.trim().to_owned()).filter(|id| !id.is_empty()),
            },
            "note" => EventData::Note { text: text("text", &self.text, true) },
            "resolved" => EventData::Resolved { summary: text("summary", &self.summary, true) },
            "reopened" => EventData::Reopened { reason: text("reason", &self.reason, true) },
            "report_submitted" => EventData::ReportSubmitted {
                report: ReportFields {
                    // The typed text is detail once a category is chosen.
                    fault_type: text(
                        "fault_type",
                        &self.report.fault_type,
                        code(&self.report.fault_type_code).is_empty(),
                    ),
                    cause: text("cause", &self.report.cause, code(&self.report.cause_code).is_empty()),
                    method: text("method", &self.report.method, true),
                    losses: text("losses", &self.report.losses, true),
                    data_protection: text("data_protection", &self.report.data_protection, false),
                    follow_up: text("follow_up", &self.report.follow_up, false),
                    fault_type_code: code(&self.report.fault_type_code),
                    cause_code: code(&self.report.cause_code),
                },
                revision: None,
            },
            "closed" => EventData::Closed,
            other => {
                let rule =
                    if other.is_empty() { Rule::Required } else { Rule::Unknown { value: other.into() } };
                errors.push(FieldError::new("kind", rule));
                EventData::Note { text: String::new() }
            }
        };
        match at {
            Some(at) if errors.is_empty() => Ok((data, at)),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// Why an event may not follow the incident's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The incident is closed: its record is final.
    Closed,
    /// Only an open incident can have this (it is resolved).
    Resolved,
    /// Only a resolved incident can have this.
    NotResolved,
    AlreadyResponded,
    /// Resolve needs a recorded response first.
    NotResponded,
    AlreadyPaused,
    NotPaused,
    /// The clocks are paused: resume first.
    WhilePaused,
    SameLevel,
    OnSiteNotRequested,
    AlreadyOnSite,
    /// Closing needs the report fields written after the latest resolution.
    ReportMissing,
    /// An event cannot be placed before the latest one; a correction is a new event.
    BeforeLatest {
        latest: DateTime<Utc>,
    },
    /// The first event of every incident is `reported`, and only the first.
    ReportedTwice,
    NotReportedFirst,
    /// This emergency plan is already active on the incident.
    PlanAlreadyActive,
    /// No such emergency plan is active on the incident.
    PlanNotActive,
    /// The activated plan has no such step, or it is done already.
    NoSuchStep,
    StepAlreadyDone,
}

impl crate::error::Explain for Refusal {
    fn code(&self) -> &'static str {
        match self {
            Refusal::Closed => "incident_closed",
            Refusal::Resolved => "incident_resolved",
            Refusal::NotResolved => "incident_not_resolved",
            Refusal::AlreadyResponded => "already_responded",
            Refusal::NotResponded => "not_responded",
            Refusal::AlreadyPaused => "already_paused",
            Refusal::NotPaused => "not_paused",
            Refusal::WhilePaused => "paused",
            Refusal::SameLevel => "same_level",
            Refusal::OnSiteNotRequested => "on_site_not_requested",
            Refusal::AlreadyOnSite => "already_on_site",
            Refusal::ReportMissing => "report_missing",
            Refusal::BeforeLatest { .. } => "before_latest_event",
            Refusal::ReportedTwice => "reported_twice",
            Refusal::NotReportedFirst => "not_reported_first",
            Refusal::PlanAlreadyActive => "plan_already_active",
            Refusal::PlanNotActive => "plan_not_active",
            Refusal::NoSuchStep => "no_such_step",
            Refusal::StepAlreadyDone => "step_already_done",
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        use crate::Lang;
        let text = match self {
            Refusal::Closed => lang.pick("故障已关闭，记录不能再更改", "The incident is closed; its record is final"),
            Refusal::Resolved => lang.pick(
                "故障已解决：如需继续处理，请先重新打开",
                "The incident is resolved; reopen it to work on it again",
            ),
            Refusal::NotResolved => lang.pick("故障尚未解决，不能执行此操作", "The incident is not resolved yet"),
            Refusal::AlreadyResponded => lang.pick("已记录过响应", "A response is already recorded"),
            Refusal::NotResponded => lang.pick(
                "请先记录响应，再标记为已解决",
                "Record the response before marking the incident resolved",
            ),
            Refusal::AlreadyPaused => lang.pick("计时已暂停", "The clocks are already paused"),
            Refusal::NotPaused => lang.pick("计时没有暂停，无需恢复", "The clocks are not paused, so there is nothing to resume"),
            Refusal::WhilePaused => lang.pick("计时已暂停：请先恢复计时", "The clocks are paused; resume them first"),
            Refusal::SameLevel => lang.pick("新级别与当前级别相同", "The new level is the current level"),
            Refusal::OnSiteNotRequested => lang.pick(
                "尚未要求工程师到场，请先记录“需要到场”",
                "No on-site visit was requested; record the request first",
            ),
            Refusal::AlreadyOnSite => lang.pick("已记录工程师到场", "The engineer's arrival is already recorded"),
            Refusal::ReportMissing => lang.pick(
                "关闭前请填写本次解决后的故障处理报告（故障种类、原因、解决方法、损失）",
                "Before closing, write the incident report for the latest resolution (type, cause, method, losses)",
            ),
            Refusal::ReportedTwice => lang.pick("故障只能报告一次", "An incident is reported only once"),
            Refusal::NotReportedFirst => {
                lang.pick("时间线的第一条必须是故障上报", "A timeline must begin with the report of the incident")
            }
            Refusal::PlanAlreadyActive => {
                lang.pick("该应急预案已在本故障上启动", "This emergency plan is already active on the incident")
            }
            Refusal::PlanNotActive => {
                lang.pick("本故障没有启动该应急预案", "This emergency plan is not active on the incident")
            }
            Refusal::NoSuchStep => lang.pick("启动的预案中没有该步骤", "The activated plan has no such step"),
            Refusal::StepAlreadyDone => lang.pick("该步骤已完成", "This step is already done"),
            Refusal::BeforeLatest { latest } => {
                let at = crate::i18n::format_service_time(*latest);
                return match lang {
                    Lang::ZhCn => format!("事件时间不能早于最近一条记录（{at}）；如需更正，请追加一条说明"),
                    Lang::En => format!("The event cannot be earlier than the latest entry ({at}); add a note to correct the record"),
                };
            }
        };
        text.to_owned()
    }
}

/// What replaying the timeline tells about an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentState {
    pub reported_at: DateTime<Utc>,
    pub level: Level,
    pub responded_at: Option<DateTime<Utc>>,
    /// Since when the clocks stand still, if they do.
    pub paused_since: Option<DateTime<Utc>>,
    pub resolved: bool,
    pub closed: bool,
    pub assignee: Option<String>,
    pub on_site_requested: bool,
    pub on_site: bool,
    /// A report was written after the latest resolution.
    pub report_current: bool,
    pub latest_at: DateTime<Utc>,
    /// The emergency plans activated, each with which of its steps are done.
    pub activated: Vec<ActivePlan>,
}

/// An emergency plan activated on an incident, and its steps done so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivePlan {
    pub plan_id: String,
    pub done: Vec<bool>,
}

/// Where an incident stands, for lists and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reported, nobody has responded yet (待响应).
    New,
    /// Being worked on (处理中).
    InProgress,
    /// Clocks stopped, e.g. waiting for the client (已暂停).
    Paused,
    /// Fixed; the report may still be due (已解决).
    Resolved,
    /// Final (已关闭).
    Closed,
}

/// A count per status, each named by its status (`{ "new": 3, "in_progress": 1, … }` across
/// IPC).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct StatusCounts {
    pub new: u32,
    pub in_progress: u32,
    pub paused: u32,
    pub resolved: u32,
    pub closed: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status, n: u32) {
        let slot = match status {
            Status::New => &mut self.new,
            Status::InProgress => &mut self.in_progress,
            Status::Paused => &mut self.paused,
            Status::Resolved => &mut self.resolved,
            Status::Closed => &mut self.closed,
        };
        *slot = slot.saturating_add(n);
    }
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::New, Status::InProgress, Status::Paused, Status::Resolved, Status::Closed];

    /// What "open" means in lists, filters and counts: still being worked on.
    pub const OPEN: [Status; 3] = [Status::New, Status::InProgress, Status::Paused];

    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }

    /// When the incident report may be signed: once resolved, and still after closing (a
    /// closed incident may have its report issued for the file).
    pub const REPORT_SIGNABLE: [Status; 2] = [Status::Resolved, Status::Closed];

    /// The status as printed (the UI has the same words in its locale files).
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Status::New => lang.pick("待响应", "New"),
            Status::InProgress => lang.pick("处理中", "In progress"),
            Status::Paused => lang.pick("已暂停", "Paused"),
            Status::Resolved => lang.pick("已解决", "Resolved"),
            Status::Closed => lang.pick("已关闭", "Closed"),
        }
    }
}

impl IncidentState {
    /// The state right after the `reported` event.
    pub fn new(reported_at: DateTime<Utc>, level: Level) -> IncidentState {
        IncidentState {
            reported_at,
            level,
            responded_at: None,
            paused_since: None,
            resolved: false,
            closed: false,
            assignee: None,
            on_site_requested: false,
            on_site: false,
            report_current: false,
            latest_at: reported_at,
            activated: Vec::new(),
        }
    }

    /// Replays `events` (oldest first, the first one `reported`) from the incident's initial
    /// level, checking every rule on the way.
    pub fn replay<'a>(
        initial_level: Level,
        events: impl IntoIterator<Item = (&'a EventData, DateTime<Utc>)>,
    ) -> Result<IncidentState, Refusal> {
        let mut events = events.into_iter();
        let reported_at = match events.next() {
            Some((EventData::Reported, at)) => at,
            _ => return Err(Refusal::NotReportedFirst),
        };
        let mut state = IncidentState::new(reported_at, initial_level);
        for (data, at) in events {
            state.apply(data, at)?;
        }
        Ok(state)
    }

    /// The state of a timeline merged from several copies (oldest first, `reported` first): an
    /// event the rules refuse where it falls — closed on one laptop, reopened on another — is
    /// kept but leaves the state as it was. Returns the state and which events were so refused
    /// (their indices).
    pub fn replay_merged<'a>(
        initial_level: Level,
        events: impl IntoIterator<Item = (&'a EventData, DateTime<Utc>)>,
    ) -> Result<(IncidentState, Vec<usize>), Refusal> {
        let mut events = events.into_iter();
        let reported_at = match events.next() {
            Some((EventData::Reported, at)) => at,
            _ => return Err(Refusal::NotReportedFirst),
        };
        let mut state = IncidentState::new(reported_at, initial_level);
        let mut refused = Vec::new();
        for (i, (data, at)) in events.enumerate() {
            if state.apply(data, at).is_err() {
                refused.push(i + 1);
            }
        }
        Ok((state, refused))
    }

    pub fn status(&self) -> Status {
        if self.closed {
            Status::Closed
        } else if self.resolved {
            Status::Resolved
        } else if self.paused_since.is_some() {
            Status::Paused
        } else if self.responded_at.is_none() {
            Status::New
        } else {
            Status::InProgress
        }
    }

    /// Checks that `data` at `at` may follow, without changing anything.
    pub fn check(&self, data: &EventData, at: DateTime<Utc>) -> Result<(), Refusal> {
        use EventData as E;
        if at < self.latest_at {
            return Err(Refusal::BeforeLatest { latest: self.latest_at });
        }
        if self.closed {
            // A closed record is final, but its report may still be issued, signed, for the file.
            return match data {
                E::ReportSubmitted { revision: Some(_), .. } => Ok(()),
                _ => Err(Refusal::Closed),
            };
        }
        let open = || if self.resolved { Err(Refusal::Resolved) } else { Ok(()) };
        let running = || {
            open()?;
            if self.paused_since.is_some() {
                Err(Refusal::WhilePaused)
            } else {
                Ok(())
            }
        };
        match data {
            E::Reported => Err(Refusal::ReportedTwice),
            E::Responded => {
                running()?;
                if self.responded_at.is_some() {
                    return Err(Refusal::AlreadyResponded);
                }
                Ok(())
            }
            E::PlanSubmitted { contingency, .. } => {
                running()?;
                match contingency {
                    Some(id) if self.active_plan(id).is_none() => Err(Refusal::PlanNotActive),
                    _ => Ok(()),
                }
            }
            E::Workaround { .. } | E::OnSiteRequested => running(),
            E::PlanActivated { plan_id, .. } => {
                open()?;
                if self.active_plan(plan_id).is_some() {
                    return Err(Refusal::PlanAlreadyActive);
                }
                Ok(())
            }
            // A step may be ticked after resolution (a check once the service is back).
            E::StepDone { plan_id, step, .. } => {
                let plan = self.active_plan(plan_id).ok_or(Refusal::PlanNotActive)?;
                match plan.done.get(*step as usize) {
                    None => Err(Refusal::NoSuchStep),
                    Some(true) => Err(Refusal::StepAlreadyDone),
                    Some(false) => Ok(()),
                }
            }
            E::EngineerOnSite => {
                running()?;
                if !self.on_site_requested {
                    Err(Refusal::OnSiteNotRequested)
                } else if self.on_site {
                    Err(Refusal::AlreadyOnSite)
                } else {
                    Ok(())
                }
            }
            E::Paused { .. } => {
                open()?;
                if self.paused_since.is_some() {
                    return Err(Refusal::AlreadyPaused);
                }
                Ok(())
            }
            E::Resumed => {
                open()?;
                if self.paused_since.is_none() {
                    return Err(Refusal::NotPaused);
                }
                Ok(())
            }
            E::LevelChanged { to, .. } => {
                open()?;
                if *to == self.level {
                    return Err(Refusal::SameLevel);
                }
                Ok(())
            }
            E::Assigned { .. } | E::Note { .. } => Ok(()),
            E::Resolved { .. } => {
                running()?;
                if self.responded_at.is_none() {
                    return Err(Refusal::NotResponded);
                }
                Ok(())
            }
            E::Reopened { .. } | E::ReportSubmitted { .. } => {
                if self.resolved {
                    Ok(())
                } else {
                    Err(Refusal::NotResolved)
                }
            }
            E::Closed => {
                if !self.resolved {
                    Err(Refusal::NotResolved)
                } else if !self.report_current {
                    Err(Refusal::ReportMissing)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The emergency plan `plan_id`, if activated.
    pub fn active_plan(&self, plan_id: &str) -> Option<&ActivePlan> {
        self.activated.iter().find(|p| p.plan_id == plan_id)
    }

    /// Checks, then applies `data` at `at`.
    pub fn apply(&mut self, data: &EventData, at: DateTime<Utc>) -> Result<(), Refusal> {
        use EventData as E;
        self.check(data, at)?;
        self.latest_at = at;
        match data {
            E::Responded => self.responded_at = Some(at),
            E::OnSiteRequested => self.on_site_requested = true,
            E::EngineerOnSite => self.on_site = true,
            E::Paused { .. } => self.paused_since = Some(at),
            E::Resumed => self.paused_since = None,
            E::LevelChanged { to, .. } => self.level = *to,
            E::Assigned { person, .. } => self.assignee = Some(person.clone()),
            E::Resolved { .. } => {
                self.resolved = true;
                self.report_current = false;
            }
            E::Reopened { .. } => {
                self.resolved = false;
                self.report_current = false;
            }
            E::ReportSubmitted { .. } => self.report_current = true,
            E::Closed => self.closed = true,
            E::PlanActivated { plan_id, steps, .. } => {
                self.activated.push(ActivePlan { plan_id: plan_id.clone(), done: vec![false; steps.len()] })
            }
            E::StepDone { plan_id, step, .. } => {
                if let Some(done) = self
                    .activated
                    .iter_mut()
                    .find(|p| &p.plan_id == plan_id)
                    .and_then(|p| p.done.get_mut(*step as usize))
                {
                    *done = true;
                }
            }
            E::Reported | E::PlanSubmitted { .. } | E::Workaround { .. } | E::Note { .. } => {}
        }
        Ok(())
    }

    /// The kinds of event that may follow now: the detail screen offers these actions only.
    pub fn allowed_next(&self, now: DateTime<Utc>) -> Vec<&'static str> {
        let probes = [
            EventData::Responded,
            EventData::plan_submitted(PlanKind::Handling),
            EventData::OnSiteRequested,
            EventData::EngineerOnSite,
            EventData::Workaround { summary: String::new() },
            EventData::Paused { reason: String::new() },
            EventData::Resumed,
            EventData::LevelChanged { from: self.level, to: other_level(self.level), reason: String::new() },
            EventData::Assigned { person: String::new(), person_id: None },
            EventData::Note { text: String::new() },
            EventData::Resolved { summary: String::new() },
            EventData::Reopened { reason: String::new() },
            EventData::ReportSubmitted { report: ReportFields::default(), revision: None },
            EventData::Closed,
        ];
        let at = now.max(self.latest_at);
        probes.iter().filter(|p| self.check(p, at).is_ok()).map(EventData::kind).collect()
    }
}

/// Any level other than `level`, to probe whether a level change is allowed.
fn other_level(level: Level) -> Level {
    if level == Level::I {
        Level::II
    } else {
        Level::I
    }
}

/// How the event form names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "occurred_at" => ("发生时间", "Time"),
        "reason" => ("原因", "Reason"),
        "summary" => ("处理说明", "Summary"),
        "person" => ("负责人", "Assignee"),
        "text" => ("内容", "Text"),
        "plan" => ("方案类型", "Plan type"),
        "contingency" => ("依据的应急预案", "Emergency plan followed"),
        "kind" => ("事件类型", "Event type"),
        "fault_type" => ("故障种类", "Fault type"),
        "cause" => ("故障原因", "Cause"),
        "fault_type_code" => ("故障种类分类", "Fault type category"),
        "cause_code" => ("故障原因分类", "Cause category"),
        "method" => ("解决方法", "Method"),
        "losses" => ("故障损失", "Losses"),
        "follow_up" => ("后续措施", "Follow-up actions"),
        "level" => ("新级别", "New level"),
        "data_protection" => ("数据保护", "Data protection"),
        "person_id" => ("负责人", "Assignee"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
    }

    fn state() -> IncidentState {
        IncidentState::new(t(1, 0), Level::I)
    }

    fn resolve(s: &mut IncidentState, at: DateTime<Utc>) {
        s.apply(&EventData::Resolved { summary: "重启应用服务".into() }, at).unwrap();
    }

    fn report() -> EventData {
        EventData::ReportSubmitted {
            report: ReportFields {
                fault_type: "软件".into(),
                cause: "内存泄漏".into(),
                method: "重启并打补丁".into(),
                losses: "停机 2 小时".into(),
                ..Default::default()
            },
            revision: None,
        }
    }

    #[test]
    fn a_merged_timeline_keeps_a_contradiction_without_applying_it() {
        // Laptop A resolved and closed; laptop B, offline, reopened it later.
        let events = [
            (EventData::Reported, t(1, 0)),
            (EventData::Responded, t(1, 10)),
            (EventData::plan_submitted(PlanKind::Handling), t(1, 30)),
            (EventData::Resolved { summary: "重启".into() }, t(2, 0)),
            (report(), t(2, 30)),
            (EventData::Closed, t(3, 0)),
            (EventData::Reopened { reason: "用户仍报错".into() }, t(3, 30)),
        ];
        let (s, refused) =
            IncidentState::replay_merged(Level::I, events.iter().map(|(d, at)| (d, *at))).unwrap();
        assert_eq!(s.status(), Status::Closed);
        assert_eq!(refused, vec![6]);
        // A timeline without contradictions is the strict replay's.
        let (plain, none) =
            IncidentState::replay_merged(Level::I, events[..6].iter().map(|(d, at)| (d, *at))).unwrap();
        assert!(none.is_empty());
        assert_eq!(
            plain,
            IncidentState::replay(Level::I, events[..6].iter().map(|(d, at)| (d, *at))).unwrap()
        );
    }

    #[test]
    fn a_new_incident_awaits_response() {
        assert_eq!(state().status(), Status::New);
    }

    #[test]
    fn the_happy_path_reaches_closed() {
        let mut s = state();
        s.apply(&EventData::Responded, t(1, 20)).unwrap();
        assert_eq!(s.status(), Status::InProgress);
        s.apply(&EventData::plan_submitted(PlanKind::Handling), t(2, 0)).unwrap();
        s.apply(&EventData::Paused { reason: "等待客户提供日志".into() }, t(3, 0)).unwrap();
        assert_eq!(s.status(), Status::Paused);
        s.apply(&EventData::Resumed, t(4, 0)).unwrap();
        resolve(&mut s, t(5, 0));
        assert_eq!(s.status(), Status::Resolved);
        s.apply(&report(), t(6, 0)).unwrap();
        s.apply(&EventData::Closed, t(6, 5)).unwrap();
        assert_eq!(s.status(), Status::Closed);
    }

    #[test]
    fn resumed_when_not_paused_is_refused() {
        assert_eq!(state().apply(&EventData::Resumed, t(2, 0)), Err(Refusal::NotPaused));
    }

    #[test]
    fn a_second_pause_is_refused() {
        let mut s = state();
        s.apply(&EventData::Paused { reason: "等待".into() }, t(2, 0)).unwrap();
        assert_eq!(
            s.apply(&EventData::Paused { reason: "再等".into() }, t(3, 0)),
            Err(Refusal::AlreadyPaused)
        );
    }

    #[test]
    fn work_while_paused_is_refused_until_resumed() {
        let mut s = state();
        s.apply(&EventData::Paused { reason: "等待".into() }, t(2, 0)).unwrap();
        assert_eq!(s.apply(&EventData::Responded, t(2, 10)), Err(Refusal::WhilePaused));
        assert!(s.apply(&EventData::Note { text: "客户已回电".into() }, t(2, 20)).is_ok(), "notes are fine");
    }

    #[test]
    fn responding_twice_is_refused() {
        let mut s = state();
        s.apply(&EventData::Responded, t(1, 5)).unwrap();
        assert_eq!(s.apply(&EventData::Responded, t(1, 6)), Err(Refusal::AlreadyResponded));
    }

    #[test]
    fn resolving_needs_a_response_first() {
        assert_eq!(
            state().apply(&EventData::Resolved { summary: "x".into() }, t(2, 0)),
            Err(Refusal::NotResponded)
        );
    }

    #[test]
    fn closing_needs_a_report_written_after_the_latest_resolution() {
        let mut s = state();
        s.apply(&EventData::Responded, t(1, 5)).unwrap();
        resolve(&mut s, t(2, 0));
        assert_eq!(s.check(&EventData::Closed, t(2, 1)), Err(Refusal::ReportMissing));
        s.apply(&report(), t(2, 2)).unwrap();
        s.apply(&EventData::Reopened { reason: "问题复现".into() }, t(3, 0)).unwrap();
        resolve(&mut s, t(4, 0));
        assert_eq!(
            s.check(&EventData::Closed, t(4, 1)),
            Err(Refusal::ReportMissing),
            "the old report is stale"
        );
    }

    #[test]
    fn a_closed_incident_accepts_nothing() {
        let mut s = state();
        s.apply(&EventData::Responded, t(1, 5)).unwrap();
        resolve(&mut s, t(2, 0));
        s.apply(&report(), t(2, 2)).unwrap();
        s.apply(&EventData::Closed, t(2, 3)).unwrap();
        assert_eq!(s.check(&EventData::Note { text: "x".into() }, t(3, 0)), Err(Refusal::Closed));
        assert_eq!(s.allowed_next(t(3, 0)), Vec::<&str>::new());
    }

    #[test]
    fn events_cannot_be_placed_before_the_latest() {
        let mut s = state();
        s.apply(&EventData::Responded, t(2, 0)).unwrap();
        assert_eq!(
            s.check(&EventData::Note { text: "补录".into() }, t(1, 30)),
            Err(Refusal::BeforeLatest { latest: t(2, 0) })
        );
    }

    #[test]
    fn a_level_change_must_change_the_level() {
        let s = state();
        let same = EventData::LevelChanged { from: Level::I, to: Level::I, reason: "x".into() };
        assert_eq!(s.check(&same, t(2, 0)), Err(Refusal::SameLevel));
    }

    #[test]
    fn engineer_on_site_needs_a_request() {
        let mut s = state();
        assert_eq!(s.check(&EventData::EngineerOnSite, t(1, 10)), Err(Refusal::OnSiteNotRequested));
        s.apply(&EventData::OnSiteRequested, t(1, 10)).unwrap();
        s.apply(&EventData::EngineerOnSite, t(2, 0)).unwrap();
        assert_eq!(s.check(&EventData::EngineerOnSite, t(2, 5)), Err(Refusal::AlreadyOnSite));
    }

    #[test]
    fn the_offered_actions_follow_the_rules() {
        let mut s = state();
        let next = s.allowed_next(t(1, 1));
        assert!(next.contains(&"responded") && next.contains(&"paused"), "{next:?}");
        assert!(
            !next.contains(&"resumed") && !next.contains(&"resolved") && !next.contains(&"closed"),
            "{next:?}"
        );
        s.apply(&EventData::Paused { reason: "等待".into() }, t(1, 2)).unwrap();
        let next = s.allowed_next(t(1, 3));
        assert!(next.contains(&"resumed") && !next.contains(&"responded"), "{next:?}");
    }

    #[test]
    fn parsing_requires_the_fields_each_kind_needs() {
        let now = t(5, 0);
        let fields = |e: NewEvent| match e.parse(Level::II, now) {
            Err(Error::Validation(f)) => f.iter().map(|f| (f.static_name(), f.code())).collect::<Vec<_>>(),
            other => panic!("expected refusal, got {other:?}"),
        };
        assert_eq!(
            fields(NewEvent { kind: "paused".into(), ..Default::default() }),
            [("reason", "required")]
        );
        assert_eq!(
            fields(NewEvent { kind: "resolved".into(), ..Default::default() }),
            [("summary", "required")]
        );
        assert_eq!(
            fields(NewEvent { kind: "report_submitted".into(), ..Default::default() }),
            [
                ("fault_type", "required"),
                ("cause", "required"),
                ("method", "required"),
                ("losses", "required")
            ]
        );
        assert_eq!(
            fields(NewEvent {
                kind: "level_changed".into(),
                reason: "误判".into(),
                level: "V".into(),
                ..Default::default()
            }),
            [("level", "unknown_value")]
        );
        assert_eq!(
            fields(NewEvent { kind: "teleported".into(), ..Default::default() }),
            [("kind", "unknown_value")]
        );
        assert_eq!(
            fields(NewEvent {
                kind: "responded".into(),
                occurred_at: "2026-11-27T06:00:00Z".into(),
                ..Default::default()
            }),
            [("occurred_at", "in_future")]
        );
    }

    #[test]
    fn parsing_fills_the_event() {
        let e = NewEvent {
            kind: "level_changed".into(),
            level: "I".into(),
            reason: " 影响全单位 ".into(),
            ..Default::default()
        };
        let (data, at) = e.parse(Level::III, t(5, 0)).unwrap();
        assert_eq!(
            data,
            EventData::LevelChanged { from: Level::III, to: Level::I, reason: "影响全单位".into() }
        );
        assert_eq!(at, t(5, 0), "an empty time means now");
    }

    #[test]
    fn a_closed_incident_still_accepts_a_signed_issue_of_its_report_only() {
        let mut s = state();
        s.apply(&EventData::Responded, t(1, 10)).unwrap();
        resolve(&mut s, t(2, 0));
        s.apply(&report(), t(3, 0)).unwrap();
        s.apply(&EventData::Closed, t(3, 10)).unwrap();
        assert_eq!(s.check(&report(), t(4, 0)), Err(Refusal::Closed), "an unsigned report is an edit");
        let EventData::ReportSubmitted { report, .. } = report() else { unreachable!() };
        let signed = EventData::ReportSubmitted { report, revision: Some(1) };
        assert_eq!(s.apply(&signed, t(4, 0)), Ok(()));
        assert_eq!(s.status(), Status::Closed);
    }

    #[test]
    fn the_event_form_sends_each_kind_with_only_its_fields() {
        let form: EventForm = serde_json::from_str(
            r#"{"kind":"paused","occurred_at":"2026-11-27T06:00:00Z","reason":"等待客户"}"#,
        )
        .unwrap();
        assert_eq!(form.event, EventInput::Paused { reason: "等待客户".into() });
        let raw = NewEvent::from(form);
        assert_eq!((raw.kind.as_str(), raw.reason.as_str()), ("paused", "等待客户"));
        assert_eq!(raw.occurred_at, "2026-11-27T06:00:00Z");
        // A field the kind does not take is no part of it; one it needs, left out, is refused
        // beside its field.
        let form: EventForm = serde_json::from_str(r#"{"kind":"resumed","reason":"ignored"}"#).unwrap();
        assert_eq!(form.event, EventInput::Resumed);
        let form: EventForm = serde_json::from_str(r#"{"kind":"note"}"#).unwrap();
        let err = NewEvent::from(form).parse(Level::II, t(1, 0)).unwrap_err();
        assert_eq!(err.fields()[0].field, "text");
        assert!(serde_json::from_str::<EventForm>(r#"{"kind":"teleported"}"#).is_err());
    }

    #[test]
    fn every_kind_a_person_records_has_a_blank_input() {
        let blanks = EventInput::blanks();
        let kinds: Vec<&str> = blanks.iter().map(EventInput::kind).collect();
        let unique: std::collections::BTreeSet<&str> = kinds.iter().copied().collect();
        assert_eq!(unique.len(), kinds.len(), "{kinds:?}");
        for blank in blanks {
            // Serde and `kind` agree, and the raw form parses to an event of the same kind (or
            // refuses an empty field, never the kind).
            let json = serde_json::to_value(&blank).unwrap();
            assert_eq!(json["kind"], blank.kind());
            let kind = blank.kind();
            match NewEvent::from(EventForm { occurred_at: String::new(), event: blank })
                .parse(Level::II, t(1, 0))
            {
                Ok((data, _)) => assert_eq!(data.kind(), kind),
                Err(e) => assert!(e.fields().iter().all(|f| f.field != "kind"), "{kind}: {e:?}"),
            }
        }
        assert!(!kinds.contains(&"reported"), "reported is recorded with the incident");
    }
}
