//! Emergency drills (应急演练): the year's drill plan and each drill — a tabletop exercise
//! (桌面推演) or a hands-on one (实操演练) of one emergency plan, with who took part (the
//! training attendance states), a timestamped log, the recovery time achieved against the
//! plan's target, the findings raised as corrective actions, and an evaluation.
//!
//! A drill is numbered `DR-2026-01` in the year it is held; the drills of a year are its
//! annual drill plan (演练计划) — planned ones with a date, held ones with their record.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::text::Kind;
use crate::training::plan::AttendanceStatus;
use crate::{Error, Lang, Result};

pub const TEXT_MAX_CHARS: usize = 2000;
pub const ROLE_MAX_CHARS: usize = 50;
pub const PARTICIPANTS_MAX: usize = 200;
pub const LOG_MAX: usize = 500;
/// A recovery time is at most a year, in minutes.
pub const MINUTES_MAX: u32 = 525_600;

/// How a drill is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DrillKind {
    /// 桌面推演: talked through around a table.
    Tabletop,
    /// 实操演练: done on the systems.
    HandsOn,
}

impl DrillKind {
    pub const ALL: [DrillKind; 2] = [DrillKind::Tabletop, DrillKind::HandsOn];

    pub fn code(self) -> &'static str {
        match self {
            DrillKind::Tabletop => "tabletop",
            DrillKind::HandsOn => "hands_on",
        }
    }

    pub fn from_code(code: &str) -> Option<DrillKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DrillKind::Tabletop => lang.pick("桌面推演", "Tabletop"),
            DrillKind::HandsOn => lang.pick("实操演练", "Hands-on"),
        }
    }
}

/// What a drill covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DrillScope {
    /// 综合演练: the whole response, several plans and teams.
    Overall,
    /// 专项演练: one plan or one kind of event.
    Special,
}

impl DrillScope {
    pub const ALL: [DrillScope; 2] = [DrillScope::Overall, DrillScope::Special];

    pub fn code(self) -> &'static str {
        match self {
            DrillScope::Overall => "overall",
            DrillScope::Special => "special",
        }
    }

    pub fn from_code(code: &str) -> Option<DrillScope> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DrillScope::Overall => lang.pick("综合演练", "Overall"),
            DrillScope::Special => lang.pick("专项演练", "Special"),
        }
    }
}

/// The evaluation's verdict: did the drill show the plan works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DrillVerdict {
    /// 达到预期
    Achieved,
    /// 基本达到
    Partly,
    /// 未达到
    NotAchieved,
}

impl DrillVerdict {
    pub const ALL: [DrillVerdict; 3] =
        [DrillVerdict::Achieved, DrillVerdict::Partly, DrillVerdict::NotAchieved];

    pub fn code(self) -> &'static str {
        match self {
            DrillVerdict::Achieved => "achieved",
            DrillVerdict::Partly => "partly",
            DrillVerdict::NotAchieved => "not_achieved",
        }
    }

    pub fn from_code(code: &str) -> Option<DrillVerdict> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DrillVerdict::Achieved => lang.pick("达到预期", "Achieved"),
            DrillVerdict::Partly => lang.pick("基本达到", "Partly achieved"),
            DrillVerdict::NotAchieved => lang.pick("未达到", "Not achieved"),
        }
    }
}

/// One person taking part, as when the drill was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Participant {
    pub person_id: String,
    pub name: String,
    pub department: String,
    /// What they did in the drill (指挥, 数据库恢复, 观察员…).
    pub role: String,
    pub status: AttendanceStatus,
}

impl Participant {
    /// `person` taking part as `role`: a team member by department code, a client-side person by
    /// their department's name.
    pub fn of(person: &crate::people::Person, role: String, status: AttendanceStatus) -> Participant {
        let d = &person.details;
        Participant {
            person_id: person.id.clone(),
            name: d.name.clone(),
            department: match d.department {
                Some(department) => department.code().to_owned(),
                None => d.client_department.clone(),
            },
            role,
            status,
        }
    }
}

/// One line of the drill's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub text: String,
    pub by: String,
}

/// A drill as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Drill {
    pub id: String,
    /// `DR-2026-01`.
    pub number: String,
    /// The day it is planned for, or was held on (service time).
    pub date: NaiveDate,
    pub kind: DrillKind,
    pub scope: DrillScope,
    /// The emergency plan exercised, at the version the drill was recorded with.
    pub plan_id: String,
    pub plan_name: String,
    pub plan_version: u32,
    pub scenario: String,
    /// The recovery time to reach (the plan's RTO unless set otherwise), minutes.
    pub target_minutes: Option<u32>,
    /// The recovery time reached in the drill, minutes.
    pub achieved_minutes: Option<u32>,
    pub participants: Vec<Participant>,
    pub log: Vec<LogEntry>,
    /// Held: the drill took place (a planned one has only a date and a scenario).
    pub held: bool,
    pub verdict: Option<DrillVerdict>,
    pub evaluation: String,
}

impl Drill {
    /// Whether the recovery time reached the target: `None` while either is unknown.
    pub fn met_target(&self) -> Option<bool> {
        Some(self.achieved_minutes? <= self.target_minutes?)
    }

    /// The plan exercised, as a reader names it.
    pub fn plan_title(&self, lang: Lang) -> String {
        crate::contingency::titled(&self.plan_name, self.plan_version, lang)
    }

    /// The name a corrective action raised from it carries (`演练 DR-2026-01`).
    pub fn action_label(&self, lang: Lang) -> String {
        format!("{} {}", lang.pick("演练", "Drill"), self.number)
    }

    /// Appends a log line, kept in time order.
    pub fn add_log(&mut self, entry: LogEntry) -> Result<()> {
        if self.log.len() >= LOG_MAX {
            return Err(Error::invalid(
                vec![FieldError::new("text", Rule::OutOfRange { min: 0, max: LOG_MAX as i64 })],
                labels,
            ));
        }
        let at = self.log.partition_point(|e| e.at <= entry.at);
        self.log.insert(at, entry);
        Ok(())
    }
}

/// One participant's line of the drill form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ParticipantForm {
    pub person_id: String,
    pub role: String,
    /// An attendance state code (`invited`, `present`, `late`, `absent`, `excused`).
    pub status: String,
}

/// The form that plans a drill or records how it went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DrillForm {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kind: String,
    pub scope: String,
    pub plan_id: String,
    pub scenario: String,
    /// Minutes, or empty for the plan's RTO.
    pub target_minutes: String,
    /// Minutes, or empty.
    pub achieved_minutes: String,
    pub participants: Vec<ParticipantForm>,
    pub held: bool,
    /// A verdict code, or empty.
    pub verdict: String,
    pub evaluation: String,
}

/// What the drill form says, checked; the plan and the people are looked up by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDrill {
    pub date: NaiveDate,
    pub kind: DrillKind,
    pub scope: DrillScope,
    pub plan_id: String,
    pub scenario: String,
    pub target_minutes: Option<u32>,
    pub achieved_minutes: Option<u32>,
    /// Person id, role, status.
    pub participants: Vec<(String, String, AttendanceStatus)>,
    pub held: bool,
    pub verdict: Option<DrillVerdict>,
    pub evaluation: String,
}

fn minutes(errors: &mut Vec<FieldError>, field: &'static str, value: &str) -> Option<u32> {
    match value.trim() {
        "" => None,
        v => v.parse::<u32>().ok().filter(|m| *m <= MINUTES_MAX).or_else(|| {
            errors.push(FieldError::new(field, Rule::OutOfRange { min: 0, max: MINUTES_MAX.into() }));
            None
        }),
    }
}

impl DrillForm {
    /// Checks the form. `today` (service time) bounds a held drill: it cannot be held later
    /// than today.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDrill> {
        let mut errors = Vec::new();
        let date = crate::text::required_date(&mut errors, "date", &self.date);
        if let Some(date) = date {
            if self.held && date > today {
                errors.push(FieldError::new("date", Rule::InFuture));
            }
        }
        let kind = DrillKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Rule::NotChosen));
        }
        let scope = DrillScope::from_code(self.scope.trim());
        if scope.is_none() {
            errors.push(FieldError::new("scope", Rule::NotChosen));
        }
        let plan_id = self.plan_id.trim().to_owned();
        if plan_id.is_empty() {
            errors.push(FieldError::new("plan_id", Rule::NotChosen));
        }
        let scenario =
            crate::text::check(&mut errors, "scenario", &self.scenario, TEXT_MAX_CHARS, true, Kind::Block);
        let target_minutes = minutes(&mut errors, "target_minutes", &self.target_minutes);
        let achieved_minutes = minutes(&mut errors, "achieved_minutes", &self.achieved_minutes);
        if achieved_minutes.is_some() && !self.held {
            errors.push(FieldError::new("held", Rule::Required));
        }
        if self.participants.len() > PARTICIPANTS_MAX {
            errors.push(FieldError::new(
                "participants",
                Rule::OutOfRange { min: 0, max: PARTICIPANTS_MAX as i64 },
            ));
        }
        let mut participants: Vec<(String, String, AttendanceStatus)> = Vec::new();
        for (i, row) in self.participants.iter().enumerate() {
            let field = |name: &str| format!("participants.{i}.{name}");
            let person = row.person_id.trim().to_owned();
            if person.is_empty() {
                errors.push(FieldError::new(field("person_id"), Rule::NotChosen));
            } else if participants.iter().any(|(p, _, _)| *p == person) {
                errors.push(FieldError::new(field("person_id"), Rule::Duplicate));
            }
            let role =
                crate::text::check(&mut errors, field("role"), &row.role, ROLE_MAX_CHARS, false, Kind::Line);
            let status = match row.status.trim() {
                "" => AttendanceStatus::Invited,
                code => AttendanceStatus::ALL.into_iter().find(|s| s.code() == code).unwrap_or_else(|| {
                    errors.push(FieldError::new(field("status"), Rule::Unknown { value: code.to_owned() }));
                    AttendanceStatus::Invited
                }),
            };
            participants.push((person, role, status));
        }
        let verdict = match self.verdict.trim() {
            "" => None,
            code => {
                let verdict = DrillVerdict::from_code(code);
                if verdict.is_none() {
                    errors.push(FieldError::new("verdict", Rule::Unknown { value: code.to_owned() }));
                }
                verdict
            }
        };
        if verdict.is_some() && !self.held {
            errors.push(FieldError::new("held", Rule::Required));
        }
        let evaluation = crate::text::check(
            &mut errors,
            "evaluation",
            &self.evaluation,
            TEXT_MAX_CHARS,
            false,
            Kind::Block,
        );
        match (date, kind, scope) {
            (Some(date), Some(kind), Some(scope)) if errors.is_empty() => Ok(ValidDrill {
                date,
                kind,
                scope,
                plan_id,
                scenario,
                target_minutes,
                achieved_minutes,
                participants,
                held: self.held,
                verdict,
                evaluation,
            }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

impl From<&Drill> for DrillForm {
    fn from(d: &Drill) -> DrillForm {
        let text = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
        DrillForm {
            date: d.date.to_string(),
            kind: d.kind.code().into(),
            scope: d.scope.code().into(),
            plan_id: d.plan_id.clone(),
            scenario: d.scenario.clone(),
            target_minutes: text(d.target_minutes),
            achieved_minutes: text(d.achieved_minutes),
            participants: d
                .participants
                .iter()
                .map(|p| ParticipantForm {
                    person_id: p.person_id.clone(),
                    role: p.role.clone(),
                    status: p.status.code().into(),
                })
                .collect(),
            held: d.held,
            verdict: d.verdict.map(|v| v.code().to_owned()).unwrap_or_default(),
            evaluation: d.evaluation.clone(),
        }
    }
}

/// A log line as typed: when (`YYYY-MM-DD HH:MM` service time, or empty for now) and what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct LogForm {
    pub at: String,
    pub text: String,
}

impl LogForm {
    /// The entry it makes at `now` by `by`; a time later than now is refused.
    pub fn validate(&self, by: &str, now: DateTime<Utc>) -> Result<LogEntry> {
        let mut errors = Vec::new();
        let text = crate::text::check(&mut errors, "text", &self.text, TEXT_MAX_CHARS, true, Kind::Block);
        let at = match self.at.trim() {
            "" => Some(now),
            value => match NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M") {
                Ok(local) => {
                    let at = crate::zone::from_service_local(local);
                    if at > now {
                        errors.push(FieldError::new("at", Rule::InFuture));
                    }
                    Some(at)
                }
                Err(_) => {
                    errors.push(FieldError::new("at", Rule::InvalidTime));
                    None
                }
            },
        };
        match at {
            Some(at) if errors.is_empty() => Ok(LogEntry { at, text, by: by.to_owned() }),
            _ => Err(Error::invalid(errors, labels)),
        }
    }
}

/// How a plan stands in a year's drills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanCoverage {
    pub plan_id: String,
    pub plan_name: String,
    /// The latest day it was exercised in the year (a held drill, or a restore drill of the
    /// backups for the data-recovery plan).
    pub last_drilled: Option<NaiveDate>,
    /// Drills of it planned and not yet held in the year.
    pub planned: u32,
}

/// Each active plan's coverage in a year: `held` are (plan id, day) of the drills held, `planned`
/// the plan ids of drills still to hold. Plans never drilled come first, to be planned.
pub fn coverage<'a>(
    plans: impl IntoIterator<Item = (&'a str, &'a str)>,
    held: &[(String, NaiveDate)],
    planned: &[String],
) -> Vec<PlanCoverage> {
    let mut rows: Vec<PlanCoverage> = plans
        .into_iter()
        .map(|(id, name)| PlanCoverage {
            plan_id: id.to_owned(),
            plan_name: name.to_owned(),
            last_drilled: held.iter().filter(|(p, _)| p == id).map(|(_, d)| *d).max(),
            planned: planned.iter().filter(|p| *p == id).count() as u32,
        })
        .collect();
    rows.sort_by_key(|c| c.last_drilled.is_some());
    rows
}

/// How the drill forms name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    Some(match last {
        "date" => lang.pick("演练日期", "Date"),
        "kind" => lang.pick("演练形式", "Form"),
        "scope" => lang.pick("演练范围", "Scope"),
        "plan_id" => lang.pick("演练预案", "Plan exercised"),
        "scenario" => lang.pick("演练场景", "Scenario"),
        "target_minutes" => lang.pick("目标恢复时间（分钟）", "Target recovery time (minutes)"),
        "achieved_minutes" => lang.pick("实际恢复时间（分钟）", "Achieved recovery time (minutes)"),
        "participants" => lang.pick("参演人员", "Participants"),
        "person_id" => lang.pick("参演人员", "Participant"),
        "role" => lang.pick("演练角色", "Role in the drill"),
        "status" => lang.pick("出勤", "Attendance"),
        "held" => lang.pick("已实施", "Held"),
        "verdict" => lang.pick("评估结论", "DrillVerdict"),
        "evaluation" => lang.pick("演练评估", "Evaluation"),
        "at" => lang.pick("时间", "Time"),
        "text" => lang.pick("记录内容", "Log entry"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn form() -> DrillForm {
        DrillForm {
            date: "2026-12-01".into(),
            kind: "tabletop".into(),
            scope: "special".into(),
            plan_id: "builtin-database".into(),
            scenario: "OA 数据库主库宕机".into(),
            participants: vec![ParticipantForm {
                person_id: "p1".into(),
                role: "指挥".into(),
                status: "present".into(),
            }],
            held: true,
            ..DrillForm::default()
        }
    }

    fn fields(e: Error) -> Vec<(String, Rule)> {
        e.fields().iter().map(|f| (f.field.to_string(), f.rule.clone())).collect()
    }

    #[test]
    fn a_filled_form_is_valid_and_round_trips() {
        let valid = form().validate(today()).unwrap();
        assert_eq!(valid.kind, DrillKind::Tabletop);
        assert_eq!(valid.participants, vec![("p1".into(), "指挥".into(), AttendanceStatus::Present)]);
        assert_eq!(valid.target_minutes, None);
    }

    #[test]
    fn bad_input_names_every_field() {
        let bad = DrillForm {
            date: "2026-13-01".into(),
            kind: "walkthrough".into(),
            scope: String::new(),
            plan_id: " ".into(),
            scenario: String::new(),
            target_minutes: "-5".into(),
            achieved_minutes: "ninety".into(),
            participants: vec![
                ParticipantForm { person_id: "p1".into(), status: "asleep".into(), ..Default::default() },
                ParticipantForm { person_id: "p1".into(), ..Default::default() },
            ],
            held: true,
            verdict: "great".into(),
            ..DrillForm::default()
        };
        let got: Vec<String> =
            fields(bad.validate(today()).unwrap_err()).into_iter().map(|(f, _)| f).collect();
        for field in [
            "date",
            "kind",
            "scope",
            "plan_id",
            "scenario",
            "target_minutes",
            "achieved_minutes",
            "participants.0.status",
            "participants.1.person_id",
            "verdict",
        ] {
            assert!(got.iter().any(|f| f == field), "{field} in {got:?}");
        }
    }

    #[test]
    fn a_planned_drill_has_no_results_and_a_held_one_is_not_in_the_future() {
        let planned =
            DrillForm { held: false, achieved_minutes: "30".into(), verdict: "achieved".into(), ..form() };
        let got = fields(planned.validate(today()).unwrap_err());
        assert_eq!(got, vec![("held".into(), Rule::Required), ("held".into(), Rule::Required)]);
        let future = DrillForm { date: "2026-12-20".into(), ..form() };
        assert_eq!(fields(future.validate(today()).unwrap_err()), vec![("date".into(), Rule::InFuture)]);
        let planned = DrillForm { date: "2026-12-20".into(), held: false, ..form() };
        assert!(planned.validate(today()).is_ok());
    }

    fn drill() -> Drill {
        Drill {
            id: "d".into(),
            number: "DR-2026-01".into(),
            date: today(),
            kind: DrillKind::Tabletop,
            scope: DrillScope::Special,
            plan_id: "builtin-database".into(),
            plan_name: "数据库故障专项应急预案".into(),
            plan_version: 2,
            scenario: String::new(),
            target_minutes: Some(240),
            achieved_minutes: None,
            participants: vec![],
            log: vec![],
            held: true,
            verdict: None,
            evaluation: String::new(),
        }
    }

    #[test]
    fn the_target_is_met_only_when_both_times_are_known() {
        let mut d = drill();
        assert_eq!(d.met_target(), None);
        d.achieved_minutes = Some(240);
        assert_eq!(d.met_target(), Some(true));
        d.achieved_minutes = Some(241);
        assert_eq!(d.met_target(), Some(false));
        assert_eq!(d.plan_title(Lang::ZhCn), "《数据库故障专项应急预案》第 2 版");
        assert_eq!(d.action_label(Lang::ZhCn), "演练 DR-2026-01");
    }

    #[test]
    fn the_log_keeps_time_order_and_refuses_a_time_to_come() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap(); // 10:00 Beijing
        let mut d = drill();
        let late = LogForm { at: String::new(), text: "恢复完成".into() }.validate("王伟", now).unwrap();
        let early = LogForm { at: "2026-12-06 09:30".into(), text: "宣布演练开始".into() }
            .validate("王伟", now)
            .unwrap();
        assert_eq!(early.at, Utc.with_ymd_and_hms(2026, 12, 6, 1, 30, 0).unwrap());
        d.add_log(late).unwrap();
        d.add_log(early).unwrap();
        let texts: Vec<&str> = d.log.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["宣布演练开始", "恢复完成"]);
        let later = LogForm { at: "2026-12-06 10:01".into(), text: "x".into() }.validate("王伟", now);
        assert_eq!(fields(later.unwrap_err()), vec![("at".into(), Rule::InFuture)]);
        let garbled = LogForm { at: "10:01".into(), text: " ".into() }.validate("王伟", now);
        assert_eq!(
            fields(garbled.unwrap_err()),
            vec![("text".into(), Rule::Required), ("at".into(), Rule::InvalidTime)]
        );
    }

    #[test]
    fn plans_never_drilled_come_first_and_the_latest_day_counts() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let held = vec![("db".to_owned(), d("2026-03-01")), ("db".to_owned(), d("2026-09-01"))];
        let rows = coverage([("db", "数据库"), ("net", "网络")], &held, &["net".to_owned()]);
        assert_eq!(rows[0].plan_id, "net");
        assert_eq!((rows[0].last_drilled, rows[0].planned), (None, 1));
        assert_eq!(rows[1].last_drilled, Some(d("2026-09-01")));
    }

    #[test]
    fn a_stored_drill_fills_its_form_back() {
        let mut d = drill();
        d.participants.push(Participant {
            person_id: "p1".into(),
            name: "王伟".into(),
            department: "impl".into(),
            role: "指挥".into(),
            status: AttendanceStatus::Late,
        });
        let f = DrillForm::from(&d);
        assert_eq!(
            (f.kind.as_str(), f.target_minutes.as_str(), f.participants[0].status.as_str()),
            ("tabletop", "240", "late")
        );
        let valid = DrillForm { scenario: "x".into(), ..f }.validate(today()).unwrap();
        assert_eq!(valid.target_minutes, Some(240));
    }
}
