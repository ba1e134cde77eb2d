//! Incidents (故障): what an incident is, and the rules a new one must pass.
//!
//! An incident's history is an append-only list of [`IncidentEvent`]s; status and deadlines
//! come from replaying it (see [`crate::timeline`] and [`crate::sla`]).

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::i18n::SERVICE_TZ;
use crate::sla::{MilestoneReport, MilestoneState};
use crate::text::{self, Kind};

pub mod import;
pub use crate::instant::earliest_plausible;
pub(crate) use crate::instant::parse_past_instant;
pub use crate::level::Level;
use crate::timeline::{EventData, Status};
use crate::{Error, Lang, Result};

pub const TITLE_MAX_CHARS: usize = 200;
pub const REPORTER_MAX_CHARS: usize = 50;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const SYSTEM_MAX_CHARS: usize = 100;

/// How the incident reached the team (报告渠道).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 现场: on-site staff.
    Onsite,
    /// 热线电话: the hotline or the 7×24 duty mobile.
    Hotline,
    /// 电子邮件.
    Email,
    /// 巡检: found during a periodic inspection.
    Inspection,
    /// 监控: raised by monitoring.
    Monitoring,
}

impl Channel {
    pub const ALL: [Channel; 5] =
        [Channel::Onsite, Channel::Hotline, Channel::Email, Channel::Inspection, Channel::Monitoring];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Onsite => "onsite",
            Channel::Hotline => "hotline",
            Channel::Email => "email",
            Channel::Inspection => "inspection",
            Channel::Monitoring => "monitoring",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The create form as the user filled it in: raw text, checked by [`NewIncident::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewIncident {
    pub title: String,
    /// `I`, `II`, `III` or `IV`.
    pub level: String,
    /// One of the [`Channel`] codes, e.g. `hotline`.
    pub channel: String,
    /// RFC 3339, e.g. `2026-11-27T10:00:00+08:00`.
    pub reported_at: String,
    #[serde(default)]
    pub reporter: String,
    #[serde(default)]
    pub description: String,
    /// The affected system or module (公文流转, 邮件网关, …).
    #[serde(default)]
    pub system: String,
}

/// A new incident that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidIncident {
    pub title: String,
    pub level: Level,
    pub channel: Channel,
    pub reported_at: DateTime<Utc>,
    pub reporter: String,
    pub description: String,
    pub system: String,
}

impl ValidIncident {
    /// The year the incident number counts in: the year of the report in the service's zone.
    pub fn number_year(&self) -> i32 {
        self.reported_at.with_timezone(&SERVICE_TZ).year()
    }
}

impl NewIncident {
    /// Checks every field against the rules and returns all refusals at once, so the form can
    /// mark each field in one go.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidIncident> {
        let mut errors = Vec::new();
        let title = text::check(&mut errors, "title", &self.title, TITLE_MAX_CHARS, true, Kind::Line);
        let reporter =
            text::check(&mut errors, "reporter", &self.reporter, REPORTER_MAX_CHARS, false, Kind::Line);
        let description = text::check(
            &mut errors,
            "description",
            &self.description,
            DESCRIPTION_MAX_CHARS,
            false,
            Kind::Block,
        );
        let system = text::check(&mut errors, "system", &self.system, SYSTEM_MAX_CHARS, false, Kind::Line);

        let level = parse_choice(&mut errors, "level", &self.level, Level::from_code);
        let channel = parse_choice(&mut errors, "channel", &self.channel, Channel::from_code);
        let reported_at = match self.reported_at.trim() {
            "" => {
                errors.push(FieldError::new("reported_at", Rule::Required));
                None
            }
            text => parse_past_instant(&mut errors, "reported_at", text, now),
        };

        match (level, channel, reported_at) {
            (Some(level), Some(channel), Some(reported_at)) if errors.is_empty() => {
                Ok(ValidIncident { title, level, channel, reported_at, reporter, description, system })
            }
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

fn parse_choice<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, Rule::NotChosen));
        return None;
    }
    let parsed = parse(text);
    if parsed.is_none() {
        errors.push(FieldError::new(field, Rule::Unknown { value: text.to_owned() }));
    }
    parsed
}

/// Reads a required RFC 3339 time (a form's start or end), noting why it is refused.
pub(crate) fn parse_instant(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    text: &str,
) -> Option<DateTime<Utc>> {
    let parsed = DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc));
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            if text.trim().is_empty() { Rule::Required } else { Rule::InvalidTime },
        ));
    }
    parsed
}

/// The human number of the `seq`-th incident of `year`: `INC-2026-0001`.
pub fn format_number(year: i32, seq: i64) -> String {
    format!("INC-{year}-{seq:04}")
}

/// One line of the incident list, with where it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IncidentSummary {
    pub id: String,
    pub number: String,
    pub title: String,
    /// The current level (after any level change).
    pub level: Level,
    pub channel: Channel,
    pub reported_at: DateTime<Utc>,
    pub reporter: String,
    pub status: Status,
    pub assignee: Option<String>,
    /// The most urgent milestone still open (running, paused or overdue), if any.
    pub next_milestone: Option<MilestoneReport>,
}

/// One incident with its whole timeline and every SLA figure, as of the moment it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Incident {
    #[serde(flatten)]
    pub summary: IncidentSummary,
    pub description: String,
    /// The affected system or module; empty when not recorded.
    pub system: String,
    /// The level it was opened at.
    pub opened_level: Level,
    /// When the incident was typed into Yunwei (may be later than `reported_at`).
    pub created_at: DateTime<Utc>,
    /// The SLA policy version it runs under (kept when the policy is edited).
    #[ts(type = "number")]
    pub policy_version: i64,
    /// Its number is a provisional label (team mode, not yet numbered by the team server): it
    /// cannot be printed on a signed report until a sync brings the server's number.
    pub provisional: bool,
    /// Oldest first.
    pub events: Vec<IncidentEvent>,
    pub milestones: Vec<MilestoneReport>,
    /// The event kinds that may be recorded next: the actions the screen offers.
    #[ts(type = "Array<EventInput['kind']>")]
    pub allowed_next: Vec<String>,
}

impl Incident {
    /// Refuses a question about the incident at `at` when `at` lies before it was reported: the
    /// engine would otherwise describe a state the incident never had.
    pub fn check_known_at(&self, at: DateTime<Utc>) -> Result<()> {
        if at >= self.summary.reported_at {
            return Ok(());
        }
        let reported = crate::i18n::format_service_time(self.summary.reported_at);
        Err(Error::invalid(vec![FieldError::new("at", Rule::BeforeReported { reported })], labels))
    }
}

/// One entry of an incident's append-only timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IncidentEvent {
    pub id: String,
    #[serde(flatten)]
    pub data: EventData,
    /// Who recorded it (the current user of Settings), when known.
    pub actor: Option<String>,
    /// When it happened (may be earlier than when it was recorded, never later than now).
    pub occurred_at: DateTime<Utc>,
    /// When it was typed into Yunwei.
    pub recorded_at: DateTime<Utc>,
    /// Refused by the timeline's rules where it falls once merged with another copy's events
    /// (closed on one laptop, reopened on another): kept and shown, but it changes nothing.
    pub contradicted: bool,
}

/// Which deadlines to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    /// A milestone of an incident not closed falls due within the next 2 hours.
    DueSoon,
    /// A milestone of an incident not closed is overdue (a late report counts).
    Breached,
    /// The incident report (故障处理报告) is overdue and not submitted.
    ReportOverdue,
    /// The incident report is due (its clock runs or has run out) and not submitted: 待报告.
    ReportDue,
}

/// "Due soon": the next deadline falls within this long after now.
pub const DUE_SOON: chrono::Duration = chrono::Duration::hours(2);

impl DueFilter {
    /// The next deadlines this filter keeps at `now`, as `(after, until)`: due after `after`
    /// (when given) and at or before `until`. `None` for the report filter, which looks at the
    /// report milestone rather than the next deadline.
    pub fn next_due_window(self, now: DateTime<Utc>) -> Option<(Option<DateTime<Utc>>, DateTime<Utc>)> {
        match self {
            DueFilter::DueSoon => Some((Some(now), now + DUE_SOON)),
            DueFilter::Breached => Some((None, now)),
            DueFilter::ReportOverdue | DueFilter::ReportDue => None,
        }
    }
}

/// The order of the incident list. Each has a natural direction (`descending: false`): most
/// urgent, oldest report, most severe level, lowest number, least advanced status first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSort {
    /// Time to the next breach (the most overdue first), then level; incidents with no clock
    /// running after, closed ones last. The work queue's order (the store keeps it in an index).
    #[default]
    Urgency,
    Reported,
    Level,
    Number,
    Status,
}

/// Filters, search and paging of the incident list. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct IncidentQuery {
    pub levels: Vec<Level>,
    pub statuses: Vec<Status>,
    pub channels: Vec<Channel>,
    pub assignee: Option<String>,
    pub reported_from: Option<DateTime<Utc>>,
    pub reported_to: Option<DateTime<Utc>>,
    pub due: Option<DueFilter>,
    /// Words to find in title, description and timeline notes (Chinese works, and the pinyin
    /// of title and description: `shujuku` finds 数据库).
    pub search: String,
    /// A fault-type category code (a group takes its entries), or [`UNCATEGORISED`]: incidents
    /// whose report names no category the lists or mappings know.
    pub fault_type: Option<String>,
    /// A cause category code, likewise.
    pub cause: Option<String>,
    pub sort: IncidentSort,
    /// Against the sort's natural direction.
    pub descending: bool,
    pub offset: u32,
    /// Page size; 0 means the default of 50, at most 500.
    pub limit: u32,
}

/// The category filter value of incidents a report placed in no category.
pub const UNCATEGORISED: &str = "-";

impl IncidentQuery {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;

    pub fn page_size(&self) -> u32 {
        match self.limit {
            0 => Self::DEFAULT_LIMIT,
            n => n.min(Self::MAX_LIMIT),
        }
    }
}

/// One page of the incident list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IncidentPage {
    pub items: Vec<IncidentSummary>,
    /// How many incidents match the filters in all.
    #[ts(type = "number")]
    pub total: u64,
}

/// Incidents with their timelines to bring in at once (read from a file by [`import::read`],
/// or the sample data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportFile {
    pub incidents: Vec<ImportRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRecord {
    /// The record's stable key in its source system: importing it again adds nothing.
    pub external_id: Option<String>,
    pub incident: NewIncident,
    /// After `reported`, oldest first.
    pub events: Vec<ImportEvent>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportEvent {
    pub event: crate::timeline::NewEvent,
    /// Who did it.
    pub actor: Option<String>,
}

/// What an import did: the incidents it added, and those it found already stored (the same
/// file imported before, or records whose `external_id` is stored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub added: Vec<String>,
    pub already: Vec<String>,
    /// When this very file was imported before, if it was.
    pub previously: Option<DateTime<Utc>>,
}

/// The longest `external_id` of an imported record.
pub const EXTERNAL_ID_MAX_CHARS: usize = 100;

impl ImportRecord {
    /// Checks the fields only an import has, by the same text rule as every form: the record's
    /// `external_id` and each event's actor. Returns them trimmed (empty ones as `None`).
    pub fn check_keys(&self) -> Result<(Option<String>, Vec<Option<String>>)> {
        let mut errors = Vec::new();
        let mut optional = |field: String, value: Option<&str>, max: usize| {
            let value = text::check(&mut errors, field, value.unwrap_or_default(), max, false, Kind::Line);
            Some(value).filter(|v| !v.is_empty())
        };
        let key = optional("external_id".into(), self.external_id.as_deref(), EXTERNAL_ID_MAX_CHARS);
        let actors = (self.events.iter().enumerate())
            .map(|(i, e)| {
                optional(format!("events.{i}.actor"), e.actor.as_deref(), crate::timeline::PERSON_MAX_CHARS)
            })
            .collect();
        if errors.is_empty() {
            Ok((key, actors))
        } else {
            Err(Error::invalid(errors, labels))
        }
    }
}

/// What the dashboard shows at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct IncidentCounts {
    /// Open (not resolved or closed) incidents per level.
    pub open_by_level: crate::level::LevelCounts,
    /// Incidents per status.
    pub by_status: crate::timeline::StatusCounts,
    /// Incidents not closed with a milestone due within 2 hours.
    #[ts(type = "number")]
    pub due_soon: u64,
    /// Incidents not closed with an overdue milestone (a late report counts).
    #[ts(type = "number")]
    pub breached: u64,
    /// Incidents whose report is overdue and not submitted.
    #[ts(type = "number")]
    pub reports_overdue: u64,
}

/// The most urgent open milestone: overdue first, then the earliest due.
pub fn most_urgent(milestones: &[MilestoneReport]) -> Option<MilestoneReport> {
    milestones
        .iter()
        .filter(|m| {
            matches!(m.state, MilestoneState::Running | MilestoneState::Paused | MilestoneState::BreachedOpen)
        })
        .min_by_key(|m| (m.state != MilestoneState::BreachedOpen, m.state == MilestoneState::Paused, m.due))
        .cloned()
}

/// How the incident form and an import's records name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "title" => ("标题", "Title"),
        "level" => ("故障级别", "Level"),
        "channel" => ("报告渠道", "Channel"),
        "reported_at" => ("报告时间", "Reported at"),
        "reporter" => ("报告人", "Reporter"),
        "description" => ("描述", "Description"),
        "system" => ("影响系统", "Affected system"),
        "events" => ("事件", "event"),
        "actor" => ("记录人", "Recorded by"),
        "at" => ("查询时间", "The time asked about"),
        "external_id" => ("外部编号", "External id"),
        _ => return crate::timeline::labels(field, lang),
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap()
    }

    fn valid_input() -> NewIncident {
        NewIncident {
            title: "  OA 公文流转卡在审批环节 ".into(),
            level: "II".into(),
            channel: "hotline".into(),
            reported_at: "2026-11-27T09:30:00+08:00".into(),
            system: "公文流转".into(),
            reporter: "王芳".into(),
            description: "办公室反映公文无法提交到下一环节".into(),
        }
    }

    fn refused_fields(input: &NewIncident) -> Vec<(&'static str, &'static str)> {
        match input.validate(now()) {
            Err(Error::Validation(fields)) => fields.iter().map(|f| (f.static_name(), f.code())).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_form_is_accepted_and_trimmed() {
        let valid = valid_input().validate(now()).expect("valid input");
        assert_eq!(valid.title, "OA 公文流转卡在审批环节", "surrounding spaces are trimmed");
        assert_eq!(valid.level, Level::II);
        assert_eq!(valid.channel, Channel::Hotline);
        assert_eq!(valid.reported_at, Utc.with_ymd_and_hms(2026, 11, 27, 1, 30, 0).unwrap());
    }

    #[test]
    fn empty_title_is_refused() {
        let input = NewIncident { title: "   ".into(), ..valid_input() };
        assert_eq!(refused_fields(&input), vec![("title", "required")]);
    }

    #[test]
    fn overlong_title_is_refused() {
        let input = NewIncident { title: "故".repeat(TITLE_MAX_CHARS + 1), ..valid_input() };
        assert_eq!(refused_fields(&input), vec![("title", "too_long")]);
        let at_limit = NewIncident { title: "故".repeat(TITLE_MAX_CHARS), ..valid_input() };
        assert!(at_limit.validate(now()).is_ok(), "exactly the limit is fine");
    }

    #[test]
    fn unknown_level_and_channel_are_refused() {
        let input = NewIncident { level: "V".into(), channel: "fax".into(), ..valid_input() };
        assert_eq!(refused_fields(&input), vec![("level", "unknown_value"), ("channel", "unknown_value")]);
    }

    #[test]
    fn reported_at_in_the_future_is_refused() {
        let input = NewIncident { reported_at: "2026-11-27T10:00:01+08:00".into(), ..valid_input() };
        assert_eq!(refused_fields(&input), vec![("reported_at", "in_future")]);
        let exactly_now = NewIncident { reported_at: "2026-11-27T10:00:00+08:00".into(), ..valid_input() };
        assert!(exactly_now.validate(now()).is_ok(), "the present moment is not the future");
    }

    #[test]
    fn a_time_before_2000_is_refused_as_a_typing_mistake() {
        let input = NewIncident { reported_at: "0026-11-27T09:00:00+08:00".into(), ..valid_input() };
        assert_eq!(refused_fields(&input), vec![("reported_at", "too_early")]);
    }

    #[test]
    fn unparsable_or_missing_time_is_refused() {
        let garbled = NewIncident { reported_at: "昨天上午".into(), ..valid_input() };
        assert_eq!(refused_fields(&garbled), vec![("reported_at", "invalid_time")]);
        let missing = NewIncident { reported_at: String::new(), ..valid_input() };
        assert_eq!(refused_fields(&missing), vec![("reported_at", "required")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = NewIncident::default();
        assert_eq!(
            refused_fields(&input),
            vec![
                ("title", "required"),
                ("level", "not_chosen"),
                ("channel", "not_chosen"),
                ("reported_at", "required")
            ]
        );
    }

    #[test]
    fn numbers_are_padded_and_counted_in_the_service_time_zone() {
        assert_eq!(format_number(2026, 1), "INC-2026-0001");
        assert_eq!(format_number(2026, 12345), "INC-2026-12345", "no truncation past 9999");
        // 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Shanghai.
        let input = NewIncident { reported_at: "2026-12-31T17:00:00Z".into(), ..valid_input() };
        let late = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(input.validate(late).unwrap().number_year(), 2027);
    }

    #[test]
    fn codes_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::from_code(level.code()), Some(level));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(channel));
        }
    }

    #[test]
    fn due_soon_is_the_next_two_hours_and_breached_is_up_to_now() {
        let at = now();
        assert_eq!(DueFilter::DueSoon.next_due_window(at), Some((Some(at), at + chrono::Duration::hours(2))));
        assert_eq!(DueFilter::Breached.next_due_window(at), Some((None, at)));
        assert_eq!(DueFilter::ReportOverdue.next_due_window(at), None, "reads the report milestone");
    }
}
