//! Training plans (培训计划) and their sessions as records: the five audiences of the contract
//! with their default contents, the plan table (period / audience / content / trainer), the
//! session form, attendance and the plan's progress. Forms arrive as raw text and are checked
//! here, every field at once; what needs the store (is the trainer in the training group, does
//! the session clash) is checked by the store.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Rule;
use crate::incident::parse_instant;
use crate::text::Kind;
use crate::{Error, FieldError, Lang, Result};

pub const TITLE_MAX_CHARS: usize = 100;
pub const TEXT_MAX_CHARS: usize = 500;
pub const NOTES_MAX_CHARS: usize = 2000;
/// A session lasts at most this long (a multi-day course is one session per day or a span).
pub const SESSION_MAX_DAYS: i64 = 14;

/// An audience (培训对象): one of the five of the plan, or one added by the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Audience {
    /// `hardware`, `system_admin`, `data_admin`, `operator`, `leadership`, or `custom-…`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// What the audience is taught, as the plan's 培训内容 column says by default.
    pub default_content_zh: String,
    pub default_content_en: String,
    pub builtin: bool,
}

impl Audience {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }

    pub fn default_content(&self, lang: Lang) -> &str {
        lang.pick(&self.default_content_zh, &self.default_content_en)
    }
}

/// An audience's name by its code (the code itself when unknown).
pub fn audience_name(audiences: &[Audience], code: &str, lang: Lang) -> String {
    audiences.iter().find(|a| a.code == code).map_or_else(|| code.to_owned(), |a| a.name(lang).to_owned())
}

/// The leadership audience: one-to-one sessions fitted into the leaders' free time.
pub const LEADERSHIP: &str = "leadership";

/// The five audiences of the contract's training plan.
pub fn builtin_audiences() -> Vec<Audience> {
    let a = |code: &str, zh: &str, en: &str, content_zh: &str, content_en: &str| Audience {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        default_content_zh: content_zh.into(),
        default_content_en: content_en.into(),
        builtin: true,
    };
    vec![
        a(
            "hardware",
            "硬件安装维护人员",
            "Hardware installation & maintenance staff",
            "服务器及网络硬件故障诊断、系统集成基础、主机系统操作、集成故障诊断（由专业培训师授课）",
            "Server and network hardware fault diagnosis, system integration basics, host system \
             operation, integration fault diagnosis (by a professional trainer)",
        ),
        a(
            "system_admin",
            "系统管理人员",
            "System administrators",
            "系统定制：应用、权限、模板",
            "System customisation: applications, permissions, templates",
        ),
        a(
            "data_admin",
            "数据管理员",
            "Data administrators",
            "数据维护子系统",
            "The data-maintenance subsystem",
        ),
        a("operator", "业务操作人员", "Business operators", "整个系统的使用", "Use of the whole system"),
        a(
            LEADERSHIP,
            "领导",
            "Leadership",
            "一对一、手把手耐心教学，直至学会；按领导的空闲时间安排",
            "Patient one-to-one, hands-on teaching until learned, fitted around the leader's free time",
        ),
    ]
}

/// One row of the plan table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanRow {
    pub id: String,
    /// 培训时期, as the contract words it (e.g. "系统上线前" or "2026 年 12 月").
    pub period: String,
    pub audience: String,
    pub content: String,
    /// 培训人: the training group member(s) or the external trainer, as printed.
    pub trainer: String,
}

/// A training plan as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Plan {
    pub id: String,
    /// `TP-2026-01`.
    pub number: String,
    pub title: String,
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
    pub notes: String,
    pub rows: Vec<PlanRow>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PlanRowForm {
    /// Empty for a new row.
    pub id: String,
    pub period: String,
    pub audience: String,
    pub content: String,
    pub trainer: String,
}

/// The plan form as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PlanForm {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    pub notes: String,
    pub rows: Vec<PlanRowForm>,
}

/// A checked plan form; rows without an id get `new_id()`.
pub struct PlanDetails {
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub notes: String,
    pub rows: Vec<PlanRow>,
}

impl PlanForm {
    /// A new plan for `start`–`end` with one row per audience and its default content.
    pub fn template(audiences: &[Audience], start: NaiveDate, end: NaiveDate, lang: Lang) -> PlanForm {
        PlanForm {
            title: match lang {
                Lang::ZhCn => format!("{} 年度培训计划", start.format("%Y")),
                Lang::En => format!("Training plan {}", start.format("%Y")),
            },
            start: start.to_string(),
            end: end.to_string(),
            notes: String::new(),
            rows: audiences
                .iter()
                .map(|a| PlanRowForm {
                    id: String::new(),
                    period: String::new(),
                    audience: a.code.clone(),
                    content: a.default_content(lang).to_owned(),
                    trainer: String::new(),
                })
                .collect(),
        }
    }

    /// Checks every field; `audiences` are the known audience codes.
    pub fn validate(
        &self,
        audiences: &[Audience],
        mut new_id: impl FnMut() -> String,
    ) -> Result<PlanDetails> {
        let mut errors = Vec::new();
        let title = text(&mut errors, "title", &self.title, TITLE_MAX_CHARS, true);
        let start = date(&mut errors, "start", &self.start);
        let end = date(&mut errors, "end", &self.end);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                errors.push(FieldError::new("end", Rule::DatesOutOfOrder));
            }
        }
        let notes = text(&mut errors, "notes", &self.notes, NOTES_MAX_CHARS, false);
        let rows = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                ![&r.period, &r.audience, &r.content, &r.trainer].iter().all(|t| t.trim().is_empty())
            })
            .map(|(i, r)| {
                let field = |name: &str| format!("rows.{i}.{name}");
                let audience = r.audience.trim().to_owned();
                if audience.is_empty() {
                    errors.push(FieldError::new(field("audience"), Rule::Required));
                } else if !audiences.iter().any(|a| a.code == audience) {
                    errors
                        .push(FieldError::new(field("audience"), Rule::Unknown { value: audience.clone() }));
                }
                PlanRow {
                    id: if r.id.trim().is_empty() { new_id() } else { r.id.trim().to_owned() },
                    period: text(&mut errors, field("period"), &r.period, TITLE_MAX_CHARS, false),
                    audience,
                    content: text(&mut errors, field("content"), &r.content, TEXT_MAX_CHARS, true),
                    trainer: text(&mut errors, field("trainer"), &r.trainer, TITLE_MAX_CHARS, false),
                }
            })
            .collect();
        match (start, end) {
            (Some(start), Some(end)) if errors.is_empty() => {
                Ok(PlanDetails { title, start, end, notes, rows })
            }
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// How a session is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Classroom,
    HandsOn,
    OneToOne,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Classroom, Mode::HandsOn, Mode::OneToOne];

    pub fn code(self) -> &'static str {
        match self {
            Mode::Classroom => "classroom",
            Mode::HandsOn => "hands_on",
            Mode::OneToOne => "one_to_one",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Mode::Classroom => lang.pick("课堂讲授", "Classroom"),
            Mode::HandsOn => lang.pick("上机实操", "Hands-on"),
            Mode::OneToOne => lang.pick("一对一", "One-to-one"),
        }
    }
}

/// Whether an attendee came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    /// Invited; nothing recorded yet.
    Invited,
    Present,
    Late,
    Absent,
    Excused,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 5] = [
        AttendanceStatus::Invited,
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::Absent,
        AttendanceStatus::Excused,
    ];

    fn parse(code: &str) -> Option<AttendanceStatus> {
        AttendanceStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            AttendanceStatus::Invited => "invited",
            AttendanceStatus::Present => "present",
            AttendanceStatus::Late => "late",
            AttendanceStatus::Absent => "absent",
            AttendanceStatus::Excused => "excused",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AttendanceStatus::Invited => lang.pick("未签到", "Not signed in"),
            AttendanceStatus::Present => lang.pick("出席", "Present"),
            AttendanceStatus::Late => lang.pick("迟到", "Late"),
            AttendanceStatus::Absent => lang.pick("缺席", "Absent"),
            AttendanceStatus::Excused => lang.pick("请假", "Excused"),
        }
    }

    /// Present or late: the person took part.
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Late)
    }
}

/// An attendee of a session and how it went for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendee {
    pub person_id: String,
    /// As when booked (the person record may change later).
    pub name: String,
    pub department: String,
    pub status: AttendanceStatus,
    /// 0–100.
    pub score: Option<u8>,
    pub passed: Option<bool>,
    /// The attendee's evaluation of the session, 1–5.
    pub rating: Option<u8>,
    pub comment: String,
}

/// A training session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Session {
    pub id: String,
    pub plan_id: String,
    /// The plan row it delivers, if any.
    pub row_id: Option<String>,
    pub title: String,
    pub audience: String,
    pub content: String,
    /// A training-group member; `None` for an external trainer.
    pub trainer_id: Option<String>,
    pub trainer_name: String,
    pub room: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: Option<u32>,
    pub mode: Mode,
    pub attendees: Vec<Attendee>,
    pub materials: String,
    /// A leader's session to be followed up until the leader has learned the topic.
    pub needs_follow_up: bool,
    /// The session this one follows up.
    pub follow_up_of: Option<String>,
    /// The trainer's note on how it went.
    pub outcome: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Session {
    /// Held: it has ended by `now`.
    pub fn held(&self, now: DateTime<Utc>) -> bool {
        self.end <= now
    }
}

/// The session form as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SessionForm {
    pub plan_id: String,
    pub row_id: String,
    pub title: String,
    pub audience: String,
    pub content: String,
    /// A training-group member's id, or empty for an external trainer named in `trainer_name`.
    pub trainer_id: String,
    pub trainer_name: String,
    pub room: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    /// Empty for no limit.
    pub capacity: String,
    pub mode: String,
    /// Client people's ids.
    pub attendee_ids: Vec<String>,
    pub materials: String,
    pub needs_follow_up: bool,
    pub follow_up_of: String,
}

/// A checked session form, before the store resolves people and checks clashes.
pub struct SessionDetails {
    pub plan_id: String,
    pub row_id: Option<String>,
    pub title: String,
    pub audience: String,
    pub content: String,
    pub trainer_id: Option<String>,
    pub trainer_name: String,
    pub room: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: Option<u32>,
    pub mode: Mode,
    pub attendee_ids: Vec<String>,
    pub materials: String,
    pub needs_follow_up: bool,
    pub follow_up_of: Option<String>,
}

impl SessionForm {
    pub fn validate(&self, audiences: &[Audience]) -> Result<SessionDetails> {
        let mut errors = Vec::new();
        if self.plan_id.trim().is_empty() {
            errors.push(FieldError::new("plan_id", Rule::Required));
        }
        let title = text(&mut errors, "title", &self.title, TITLE_MAX_CHARS, true);
        let audience = self.audience.trim().to_owned();
        if audience.is_empty() {
            errors.push(FieldError::new("audience", Rule::Required));
        } else if !audiences.iter().any(|a| a.code == audience) {
            errors.push(FieldError::new("audience", Rule::Unknown { value: audience.clone() }));
        }
        let content = text(&mut errors, "content", &self.content, TEXT_MAX_CHARS, false);
        let trainer_id = Some(self.trainer_id.trim().to_owned()).filter(|t| !t.is_empty());
        let trainer_name = text(&mut errors, "trainer_name", &self.trainer_name, TITLE_MAX_CHARS, false);
        if trainer_id.is_none() && trainer_name.is_empty() {
            errors.push(FieldError::new("trainer_id", Rule::Required));
        }
        let room = text(&mut errors, "room", &self.room, TITLE_MAX_CHARS, true);
        let start = parse_instant(&mut errors, "start", &self.start);
        let end = parse_instant(&mut errors, "end", &self.end);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.push(FieldError::new("end", Rule::EndNotAfterStart));
            } else if e - s > chrono::Duration::days(SESSION_MAX_DAYS) {
                errors.push(FieldError::new("end", Rule::OutOfRange { min: 1, max: SESSION_MAX_DAYS }));
            }
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            c => match c.parse::<u32>() {
                Ok(n @ 1..=1000) => Some(n),
                _ => {
                    errors.push(FieldError::new("capacity", Rule::OutOfRange { min: 1, max: 1000 }));
                    None
                }
            },
        };
        let mode = match self.mode.trim() {
            "" => Mode::Classroom,
            code => Mode::ALL.into_iter().find(|m| m.code() == code).unwrap_or_else(|| {
                errors.push(FieldError::new("mode", Rule::Unknown { value: code.to_owned() }));
                Mode::Classroom
            }),
        };
        let mut attendee_ids: Vec<String> = Vec::new();
        for id in self.attendee_ids.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
            if !attendee_ids.iter().any(|a| a == id) {
                attendee_ids.push(id.to_owned());
            }
        }
        if let Some(max) = capacity {
            if attendee_ids.len() > max as usize {
                errors.push(FieldError::new("attendee_ids", Rule::OverCapacity { capacity: max }));
            }
        }
        if mode == Mode::OneToOne && attendee_ids.len() > 1 {
            errors.push(FieldError::new("attendee_ids", Rule::OverCapacity { capacity: 1 }));
        }
        let materials = text(&mut errors, "materials", &self.materials, NOTES_MAX_CHARS, false);
        let (Some(start), Some(end)) = (start, end) else { return Err(Error::invalid(errors, labels)) };
        if !errors.is_empty() {
            return Err(Error::invalid(errors, labels));
        }
        let some = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(SessionDetails {
            plan_id: self.plan_id.trim().to_owned(),
            row_id: some(&self.row_id),
            title,
            audience,
            content,
            trainer_id,
            trainer_name,
            room,
            start,
            end,
            capacity,
            mode,
            attendee_ids,
            materials,
            needs_follow_up: self.needs_follow_up,
            follow_up_of: some(&self.follow_up_of),
        })
    }
}

/// One attendee's line of the attendance form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttendanceRowForm {
    pub person_id: String,
    pub status: String,
    /// 0–100, or empty.
    pub score: String,
    /// `pass`, `fail`, or empty.
    pub result: String,
    /// 1–5, or empty.
    pub rating: String,
    pub comment: String,
}

/// Attendance and outcome of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttendanceForm {
    pub attendees: Vec<AttendanceRowForm>,
    pub outcome: String,
    pub needs_follow_up: bool,
}

impl AttendanceForm {
    /// Applies the form to `session`'s attendees (people not on the session are refused).
    pub fn apply(&self, session: &mut Session) -> Result<()> {
        let mut errors = Vec::new();
        for (i, row) in self.attendees.iter().enumerate() {
            let field = |name: &str| format!("attendees.{i}.{name}");
            let Some(attendee) = session.attendees.iter_mut().find(|a| a.person_id == row.person_id) else {
                errors.push(FieldError::new(
                    field("person_id"),
                    Rule::Unknown { value: row.person_id.clone() },
                ));
                continue;
            };
            match AttendanceStatus::parse(row.status.trim()) {
                Some(s) => attendee.status = s,
                None => {
                    errors.push(FieldError::new(field("status"), Rule::Unknown { value: row.status.clone() }))
                }
            }
            attendee.score = number(&mut errors, field("score"), &row.score, 0, 100);
            attendee.rating = number(&mut errors, field("rating"), &row.rating, 1, 5);
            attendee.passed = match row.result.trim() {
                "" => None,
                "pass" => Some(true),
                "fail" => Some(false),
                other => {
                    errors.push(FieldError::new(field("result"), Rule::Unknown { value: other.to_owned() }));
                    None
                }
            };
            attendee.comment = text(&mut errors, field("comment"), &row.comment, TEXT_MAX_CHARS, false);
        }
        session.outcome = text(&mut errors, "outcome", &self.outcome, NOTES_MAX_CHARS, false);
        session.needs_follow_up = self.needs_follow_up;
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(errors, labels))
        }
    }
}

/// How far one audience's training has come.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AudienceProgress {
    pub audience: String,
    pub planned: u32,
    pub held: u32,
    /// Attendances recorded in held sessions (everything but "invited").
    pub recorded: u32,
    /// Present or late among those recorded.
    pub attended: u32,
    /// `attended ÷ recorded`, or `None` before anything is recorded.
    pub attendance_rate: Option<f64>,
    /// People expected in this audience's sessions who have not yet attended one.
    pub not_attended: Vec<PersonRef>,
    /// The attendees' mean rating (1–5) of the held sessions, if any rated them.
    pub evaluation: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// A plan's progress by audience, and in total.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlanProgress {
    pub audiences: Vec<AudienceProgress>,
    pub planned: u32,
    pub held: u32,
    pub attendance_rate: Option<f64>,
}

/// Progress of a plan's `sessions` at `now`. People count as expected in an audience when they
/// are booked on one of its sessions, and — for the leadership audience — every leader in
/// `leaders`. Audiences appear in the order of `audiences`, those without sessions included
/// when the plan has a row for them (`row_audiences`).
pub fn progress(
    audiences: &[Audience],
    row_audiences: &[String],
    sessions: &[Session],
    leaders: &[PersonRef],
    now: DateTime<Utc>,
) -> PlanProgress {
    let mut by_audience: BTreeMap<&str, AudienceProgress> = BTreeMap::new();
    let mut expected: BTreeMap<&str, BTreeSet<PersonRef>> = BTreeMap::new();
    let mut came: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut ratings: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    let blank = |code: &str| AudienceProgress {
        audience: code.to_owned(),
        planned: 0,
        held: 0,
        recorded: 0,
        attended: 0,
        attendance_rate: None,
        not_attended: Vec::new(),
        evaluation: None,
    };
    for code in row_audiences {
        by_audience.entry(code).or_insert_with(|| blank(code));
    }
    for s in sessions {
        let entry = by_audience.entry(&s.audience).or_insert_with(|| blank(&s.audience));
        entry.planned += 1;
        let expected = expected.entry(&s.audience).or_default();
        for a in &s.attendees {
            expected.insert(PersonRef { id: a.person_id.clone(), name: a.name.clone() });
        }
        if !s.held(now) {
            continue;
        }
        entry.held += 1;
        ratings.entry(&s.audience).or_default().extend(s.attendees.iter().filter_map(|a| a.rating));
        let (attended, recorded) = attendance_counts(&s.attendees);
        entry.attended += attended;
        entry.recorded += recorded;
        let attendees = s.attendees.iter().filter(|a| a.status.attended()).map(|a| a.person_id.as_str());
        came.entry(&s.audience).or_default().extend(attendees);
    }
    if by_audience.contains_key(LEADERSHIP) {
        expected.entry(LEADERSHIP).or_default().extend(leaders.iter().cloned());
    }
    let mut list: Vec<AudienceProgress> = by_audience
        .into_iter()
        .map(|(code, mut p)| {
            p.attendance_rate = attendance_rate(p.attended, p.recorded);
            p.evaluation = ratings
                .get(code)
                .filter(|r| !r.is_empty())
                .map(|r| f64::from(r.iter().map(|&x| u32::from(x)).sum::<u32>()) / r.len() as f64);
            let came = came.get(code);
            p.not_attended = expected
                .get(code)
                .map(|people| {
                    people
                        .iter()
                        .filter(|r| !came.is_some_and(|c| c.contains(r.id.as_str())))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            p
        })
        .collect();
    let order = |code: &str| audiences.iter().position(|a| a.code == code).unwrap_or(usize::MAX);
    list.sort_by_key(|p| order(&p.audience));
    let (attended, recorded) = list.iter().fold((0, 0), |(a, r), p| (a + p.attended, r + p.recorded));
    PlanProgress {
        planned: list.iter().map(|p| p.planned).sum(),
        held: list.iter().map(|p| p.held).sum(),
        attendance_rate: attendance_rate(attended, recorded),
        audiences: list,
    }
}

/// Of `attendees`, how many attended (present or late) and how many were recorded (anything
/// but "invited").
pub fn attendance_counts<'a>(attendees: impl IntoIterator<Item = &'a Attendee>) -> (u32, u32) {
    attendees
        .into_iter()
        .filter(|a| a.status != AttendanceStatus::Invited)
        .fold((0, 0), |(attended, recorded), a| (attended + u32::from(a.status.attended()), recorded + 1))
}

/// `attended ÷ recorded`, or `None` before anything is recorded.
pub fn attendance_rate(attended: u32, recorded: u32) -> Option<f64> {
    (recorded > 0).then(|| f64::from(attended) / f64::from(recorded))
}

fn text(
    errors: &mut Vec<FieldError>,
    field: impl Into<std::borrow::Cow<'static, str>>,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    // Titles, periods, names and rooms are lines; contents, notes and comments are long text.
    let kind = if max > TITLE_MAX_CHARS { Kind::Block } else { Kind::Line };
    crate::text::check(errors, field, value, max, required, kind)
}

fn date(errors: &mut Vec<FieldError>, field: &'static str, value: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            if value.trim().is_empty() { Rule::Required } else { Rule::InvalidDate },
        ));
    }
    parsed
}

fn number(errors: &mut Vec<FieldError>, field: String, value: &str, min: u8, max: u8) -> Option<u8> {
    match value.trim() {
        "" => None,
        v => v.parse::<u8>().ok().filter(|n| (min..=max).contains(n)).or_else(|| {
            errors.push(FieldError::new(field, Rule::OutOfRange { min: min.into(), max: max.into() }));
            None
        }),
    }
}

/// How the training forms (plan, session, attendance, slot finder, audience) name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "title" => ("标题", "Title"),
        "start" => ("开始时间", "Start"),
        "end" => ("结束时间", "End"),
        "notes" => ("备注", "Notes"),
        "rows" => ("计划", "plan row"),
        "period" => ("培训时期", "Period"),
        "audience" => ("培训对象", "Audience"),
        "content" => ("培训内容", "Content"),
        "trainer" => ("培训人", "Trainer"),
        "trainer_id" => ("培训人", "Trainer"),
        "trainer_name" => ("外聘培训师", "External trainer"),
        "room" => ("地点", "Room"),
        "capacity" => ("人数上限", "Capacity"),
        "mode" => ("培训形式", "Mode"),
        "attendee_ids" => ("参训人员", "Attendees"),
        "attendees" => ("参训人员", "attendee"),
        "materials" => ("培训材料", "Materials"),
        "plan_id" => ("培训计划", "Training plan"),
        "person_id" => ("人员", "Person"),
        "status" => ("出勤", "Attendance"),
        "score" => ("成绩", "Score"),
        "result" => ("考核结果", "Result"),
        "rating" => ("评价", "Rating"),
        "comment" => ("评语", "Comment"),
        "outcome" => ("培训效果", "Outcome"),
        "duration" => ("时长", "Duration"),
        "leader_id" => ("领导", "Leader"),
        "rooms" => ("地点", "Rooms"),
        "row_id" => ("计划行", "Plan row"),
        "default_content" => ("默认培训内容", "Default content"),
        "from" => ("起始时间", "From"),
        "name" => ("名称", "Name"),
        "follow_up_of" => ("跟进的培训", "Session followed up"),
        "to" => ("截止时间", "To"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
pub(crate) mod tests;
