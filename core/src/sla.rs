//! The SLA engine: a declarative policy of milestones per level, and the figures of every
//! milestone of an incident at any instant, computed by replaying its timeline.
//!
//! Each milestone is a clock that counts on a [`Calendar`] over *windows* (from the event that
//! starts it to the event that meets it), minus the time the incident was paused. From the
//! counted time and the allowance come the state, the due instant, the time left or overrun,
//! the warning level and a sentence that explains the due time.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::{Calendar, WorkingCalendar};
use crate::error::{FieldError, Rule};
use crate::i18n::SERVICE_TZ;
use crate::level::Level;
use crate::timeline::{EventData, PlanKind};
use crate::{Error, Lang, Result};

/// The contract's milestones. What starts and what meets each one is fixed here; how long it
/// may take, on which calendar, and when it warns, is the policy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// From `reported` to `responded`.
    Respond,
    /// From `reported` to `plan_submitted{handling}` (故障处理方案).
    HandlingPlan,
    /// From `on_site_requested` to `engineer_on_site`; only when requested.
    OnSite,
    /// From `reported` to `resolved`; after a reopen it runs again, counting the time used.
    Resolve,
    /// Starts only if Resolve breaches; due from `reported`; met by `plan_submitted{emergency}`.
    EmergencyPlan,
    /// From the latest `resolved` to `report_submitted` (故障处理报告).
    Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    Hours,
    /// 24 h on the wall clock; one standard working day on a working calendar.
    Days,
}

/// How long a milestone may take, as the contract says it ("30 min", "5 days").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Allowance {
    pub amount: u32,
    pub unit: TimeUnit,
}

impl Allowance {
    pub const fn minutes(amount: u32) -> Allowance {
        Allowance { amount, unit: TimeUnit::Minutes }
    }
    pub const fn hours(amount: u32) -> Allowance {
        Allowance { amount, unit: TimeUnit::Hours }
    }
    pub const fn days(amount: u32) -> Allowance {
        Allowance { amount, unit: TimeUnit::Days }
    }

    /// The counted time it allows on `calendar`.
    fn duration(self, calendar: &Calendar) -> Duration {
        let n = i64::from(self.amount);
        match self.unit {
            TimeUnit::Minutes => Duration::minutes(n),
            TimeUnit::Hours => Duration::hours(n),
            TimeUnit::Days => calendar.day_length() * i32::try_from(n).unwrap_or(i32::MAX),
        }
    }

    fn describe(self, lang: Lang, working: bool) -> String {
        let n = self.amount;
        match (self.unit, lang, working) {
            (TimeUnit::Minutes, Lang::ZhCn, _) => format!("{n} 分钟"),
            (TimeUnit::Minutes, Lang::En, _) => format!("{n} min"),
            (TimeUnit::Hours, Lang::ZhCn, _) => format!("{n} 小时"),
            (TimeUnit::Hours, Lang::En, _) => format!("{n} h"),
            (TimeUnit::Days, Lang::ZhCn, false) => format!("{n} 天"),
            (TimeUnit::Days, Lang::ZhCn, true) => format!("{n} 个工作日"),
            (TimeUnit::Days, Lang::En, false) => format!("{n} days"),
            (TimeUnit::Days, Lang::En, true) => format!("{n} working days"),
        }
    }
}

/// Which calendar a milestone counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CalendarRef {
    /// 7×24 wall clock, as the contract promises.
    WallClock,
    /// The working calendar of Settings.
    Working,
}

/// One line of the policy table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MilestoneRule {
    pub kind: MilestoneKind,
    /// Per level I, II, III, IV; `None`: the milestone does not apply to that level.
    pub allowances: [Option<Allowance>; 4],
    pub calendar: CalendarRef,
    /// Warn when this share of the allowance is used (first, second), in per cent.
    pub warn_percent: [u8; 2],
}

/// The SLA policy: a table of milestones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaPolicy {
    pub rules: Vec<MilestoneRule>,
}

impl MilestoneKind {
    pub const ALL: [MilestoneKind; 6] = [
        MilestoneKind::Respond,
        MilestoneKind::HandlingPlan,
        MilestoneKind::OnSite,
        MilestoneKind::Resolve,
        MilestoneKind::EmergencyPlan,
        MilestoneKind::Report,
    ];

    /// The code stored and sent to the UI (`respond`, `handling_plan`, …).
    pub fn code(self) -> &'static str {
        match self {
            MilestoneKind::Respond => "respond",
            MilestoneKind::HandlingPlan => "handling_plan",
            MilestoneKind::OnSite => "on_site",
            MilestoneKind::Resolve => "resolve",
            MilestoneKind::EmergencyPlan => "emergency_plan",
            MilestoneKind::Report => "report",
        }
    }

    /// The milestone's name in both languages, for messages of the leaf modules.
    pub fn named(self) -> crate::error::Named {
        crate::error::Named { zh: self.label(Lang::ZhCn), en: self.label(Lang::En) }
    }

    pub fn from_code(code: &str) -> Option<MilestoneKind> {
        MilestoneKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The milestone's name as the contract's readers know it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MilestoneKind::Respond => lang.pick("响应", "Response"),
            MilestoneKind::HandlingPlan => lang.pick("故障处理方案", "Handling plan"),
            MilestoneKind::OnSite => lang.pick("工程师到场", "Engineer on site"),
            MilestoneKind::Resolve => lang.pick("解决", "Resolution"),
            MilestoneKind::EmergencyPlan => lang.pick("应急方案", "Emergency plan"),
            MilestoneKind::Report => lang.pick("故障处理报告", "Incident report"),
        }
    }
}

impl SlaPolicy {
    /// Checks an edited policy: every milestone once, allowances of 1–9999 units, warnings
    /// that rise. All problems are reported at once.
    pub fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        let complete =
            MilestoneKind::ALL.iter().all(|k| self.rules.iter().filter(|r| r.kind == *k).count() == 1)
                && self.rules.len() == MilestoneKind::ALL.len();
        if !complete {
            errors.push(FieldError::new("policy", Rule::MilestonesIncomplete));
        }
        for rule in &self.rules {
            for (level, allowance) in Level::ALL.iter().zip(&rule.allowances) {
                if allowance.is_some_and(|a| !(1..=9999).contains(&a.amount)) {
                    errors.push(FieldError::new(
                        "policy",
                        Rule::AllowanceOutOfRange { milestone: rule.kind.named(), level: level.code() },
                    ));
                }
            }
            let [first, second] = rule.warn_percent;
            if !(0 < first && first < second && second < 100) {
                errors.push(FieldError::new(
                    "policy",
                    Rule::WarningsOutOfOrder { milestone: rule.kind.named() },
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(errors, labels))
        }
    }

    /// The defaults of the service contract (REQUIREMENTS.md §1).
    pub fn contract_default() -> SlaPolicy {
        let rule = |kind, allowances, warn_percent| MilestoneRule {
            kind,
            allowances,
            calendar: CalendarRef::WallClock,
            warn_percent,
        };
        let all = |a| [Some(a); 4];
        let h2 = Allowance::hours(2);
        SlaPolicy {
            rules: vec![
                rule(
                    MilestoneKind::Respond,
                    [Some(Allowance::minutes(30)), Some(h2), Some(h2), Some(h2)],
                    [50, 75],
                ),
                rule(MilestoneKind::HandlingPlan, [Some(h2), None, None, None], [50, 75]),
                rule(MilestoneKind::OnSite, all(h2), [50, 75]),
                rule(
                    MilestoneKind::Resolve,
                    [
                        Some(Allowance::hours(12)),
                        Some(Allowance::hours(24)),
                        Some(Allowance::hours(48)),
                        Some(Allowance::days(5)),
                    ],
                    [50, 75],
                ),
                rule(MilestoneKind::EmergencyPlan, [Some(Allowance::hours(16)), None, None, None], [50, 75]),
                rule(MilestoneKind::Report, all(Allowance::hours(24)), [50, 75]),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneState {
    NotStarted,
    Running,
    Paused,
    Met,
    /// Overdue and not met (still to do, or never done).
    BreachedOpen,
    /// Met, but late.
    BreachedMet,
    /// Never met, and its clock has ended: the resolution or the close stopped it. Final, and
    /// a breach: it never runs again (a plan filed after a reopen does not undo it).
    Missed,
    NotApplicable,
}

impl MilestoneState {
    /// The states of a milestone still to be met, whose time is counting or has run out.
    pub const OPEN: [MilestoneState; 3] =
        [MilestoneState::Running, MilestoneState::Paused, MilestoneState::BreachedOpen];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    None,
    First,
    Second,
    Breached,
}

/// One milestone's figures at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MilestoneReport {
    pub kind: MilestoneKind,
    pub state: MilestoneState,
    /// When it is (or was) due; `None` when not started, not applicable, or never due.
    pub due: Option<DateTime<Utc>>,
    /// When it was met.
    pub met_at: Option<DateTime<Utc>>,
    /// When its clock ended with it unmet (the resolution or close that made it [`Missed`]).
    ///
    /// [`Missed`]: MilestoneState::Missed
    pub missed_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub allowed_seconds: i64,
    #[ts(type = "number")]
    pub used_seconds: i64,
    /// Negative: overrun.
    #[ts(type = "number")]
    pub left_seconds: i64,
    pub percent_used: u32,
    pub warning: Warning,
    /// Why it is due when it is, in the user's language.
    pub explanation: String,
}

impl MilestoneReport {
    /// The instant it counts at in a period's figures: its due time, or, missed before it fell
    /// due, the moment it was missed (so a miss is counted when it happens, once).
    pub fn counts_at(&self) -> Option<DateTime<Utc>> {
        match (self.due, self.missed_at) {
            (Some(due), Some(missed)) => Some(due.min(missed)),
            (due, _) => due,
        }
    }
}

/// What the engine needs to know of the timeline, read once.
struct Facts {
    reported_at: DateTime<Utc>,
    level: Level,
    pauses: Vec<Window>,
    responded_at: Option<DateTime<Utc>>,
    handling_plan_at: Option<DateTime<Utc>>,
    emergency_plan_at: Option<DateTime<Utc>>,
    on_site_requested_at: Option<DateTime<Utc>>,
    on_site_at: Option<DateTime<Utc>>,
    /// From `reported` or a reopen to the resolution that ended it (open while unresolved).
    resolve_windows: Vec<Window>,
    /// The latest resolution, while the incident stays resolved.
    resolved_at: Option<DateTime<Utc>>,
    /// A report submitted after the latest resolution.
    report_at: Option<DateTime<Utc>>,
    /// Every resolution, oldest first.
    resolutions: Vec<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
}

/// `[start, end)`; an open end means "still going".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Facts {
    /// Reads the events that happened by `now`, oldest first; the first is `reported`.
    fn read(
        initial_level: Level,
        events: &[(EventData, DateTime<Utc>)],
        now: DateTime<Utc>,
    ) -> Option<Facts> {
        let mut events = events.iter().filter(|(_, at)| *at <= now);
        let reported_at = match events.next() {
            Some((EventData::Reported, at)) => *at,
            _ => return None,
        };
        let mut f = Facts {
            reported_at,
            level: initial_level,
            pauses: Vec::new(),
            responded_at: None,
            handling_plan_at: None,
            emergency_plan_at: None,
            on_site_requested_at: None,
            on_site_at: None,
            resolve_windows: vec![Window { start: reported_at, end: None }],
            resolved_at: None,
            report_at: None,
            resolutions: Vec::new(),
            closed_at: None,
        };
        for (data, at) in events {
            let at = *at;
            match data {
                EventData::Responded => f.responded_at = f.responded_at.or(Some(at)),
                EventData::PlanSubmitted { plan: PlanKind::Handling, .. } => {
                    f.handling_plan_at = f.handling_plan_at.or(Some(at))
                }
                EventData::PlanSubmitted { plan: PlanKind::Emergency, .. } => {
                    f.emergency_plan_at = f.emergency_plan_at.or(Some(at))
                }
                EventData::OnSiteRequested => f.on_site_requested_at = f.on_site_requested_at.or(Some(at)),
                EventData::EngineerOnSite => f.on_site_at = f.on_site_at.or(Some(at)),
                EventData::Paused { .. } => f.pauses.push(Window { start: at, end: None }),
                EventData::Resumed => {
                    if let Some(p) = f.pauses.last_mut() {
                        p.end = p.end.or(Some(at));
                    }
                }
                EventData::LevelChanged { to, .. } => f.level = *to,
                EventData::Resolved { .. } => {
                    if let Some(w) = f.resolve_windows.last_mut() {
                        w.end = w.end.or(Some(at));
                    }
                    f.resolved_at = Some(at);
                    f.report_at = None;
                    f.resolutions.push(at);
                }
                EventData::Reopened { .. } => {
                    f.resolve_windows.push(Window { start: at, end: None });
                    f.resolved_at = None;
                    f.report_at = None;
                }
                EventData::ReportSubmitted { .. } => {
                    if f.resolved_at.is_some() {
                        f.report_at = f.report_at.or(Some(at));
                    }
                }
                EventData::Closed => f.closed_at = f.closed_at.or(Some(at)),
                EventData::Reported
                | EventData::PlanActivated { .. }
                | EventData::StepDone { .. }
                | EventData::Workaround { .. }
                | EventData::Assigned { .. }
                | EventData::Note { .. } => {}
            }
        }
        Some(f)
    }

    /// `windows` minus the paused time: the segments in which the clock counts.
    fn running_segments(&self, windows: &[Window]) -> Vec<Window> {
        let mut segments = windows.to_vec();
        for pause in &self.pauses {
            segments = segments.into_iter().flat_map(|w| subtract(w, *pause)).collect();
        }
        segments
    }
}

/// `w` without `p`: zero, one or two pieces.
fn subtract(w: Window, p: Window) -> Vec<Window> {
    let ends_before = |a: Option<DateTime<Utc>>, b: DateTime<Utc>| a.is_some_and(|a| a <= b);
    // No overlap: the pause ends before the window starts, or starts after it ends.
    if ends_before(p.end, w.start) || ends_before(w.end, p.start) {
        return vec![w];
    }
    let mut pieces = Vec::new();
    if w.start < p.start {
        pieces.push(Window { start: w.start, end: Some(p.start) });
    }
    if let Some(p_end) = p.end {
        if !ends_before(w.end, p_end) {
            pieces.push(Window { start: p_end, end: w.end });
        }
    }
    pieces
}

/// The clock of one milestone, ready to be measured.
struct Clock<'a> {
    calendar: &'a Calendar,
    windows: Vec<Window>,
    segments: Vec<Window>,
    allowed: Duration,
    met_at: Option<DateTime<Utc>>,
    /// When the clock was ended unmet (see [`Ender`]).
    ended: Option<DateTime<Utc>>,
}

struct Figures {
    used: Duration,
    due: Option<DateTime<Utc>>,
    running: bool,
}

impl Clock<'_> {
    fn figures(&self, now: DateTime<Utc>) -> Figures {
        let cal = self.calendar;
        let used = self
            .segments
            .iter()
            .map(|s| cal.measure(s.start, s.end.unwrap_or(now).min(now)))
            .fold(Duration::zero(), |a, b| a + b);
        let running = self.met_at.is_none() && self.segments.last().is_some_and(|s| s.end.is_none());
        let mut left = self.allowed;
        let mut due = None;
        for s in &self.segments {
            match s.end {
                None => {
                    due = cal.add(s.start, left);
                    left = Duration::zero();
                    break;
                }
                Some(end) => {
                    let length = cal.measure(s.start, end);
                    if length >= left {
                        due = cal.add(s.start, left);
                        left = Duration::zero();
                        break;
                    }
                    left -= length;
                }
            }
        }
        if left > Duration::zero() {
            // Stopped before the allowance ran out: met or ended (due as if it had run on), or paused
            // (due as if it resumed now, so it moves out while the pause lasts).
            let from = self.met_at.or(self.ended).unwrap_or(now);
            due = cal.add(from, left);
        }
        Figures { used, due, running }
    }

    /// Paused time inside this clock's windows, on its calendar.
    fn paused(&self, now: DateTime<Utc>) -> Duration {
        let total: Duration = self
            .windows
            .iter()
            .map(|w| self.calendar.measure(w.start, w.end.unwrap_or(now).min(now)))
            .fold(Duration::zero(), |a, b| a + b);
        let running: Duration = self
            .segments
            .iter()
            .map(|s| self.calendar.measure(s.start, s.end.unwrap_or(now).min(now)))
            .fold(Duration::zero(), |a, b| a + b);
        total - running
    }
}

/// The calendars a policy refers to, prepared once for many evaluations.
pub struct Calendars {
    wall: Calendar,
    working: Calendar,
}

impl Calendars {
    pub fn new(working: WorkingCalendar) -> Calendars {
        Calendars { wall: Calendar::Always, working: Calendar::working(working) }
    }

    fn get(&self, which: CalendarRef) -> &Calendar {
        match which {
            CalendarRef::WallClock => &self.wall,
            CalendarRef::Working => &self.working,
        }
    }
}

/// Evaluates every milestone of `policy` for an incident whose timeline is `events` (oldest
/// first), opened at `initial_level`, as things stand at `now`.
pub fn evaluate(
    policy: &SlaPolicy,
    calendars: &Calendars,
    initial_level: Level,
    events: &[(EventData, DateTime<Utc>)],
    now: DateTime<Utc>,
    lang: Lang,
) -> Vec<MilestoneReport> {
    let Some(facts) = Facts::read(initial_level, events, now) else {
        return Vec::new();
    };
    let level_index = Level::ALL.iter().position(|l| *l == facts.level).unwrap_or(0);
    let resolve_breached = policy
        .rules
        .iter()
        .find(|r| r.kind == MilestoneKind::Resolve)
        .map(|r| evaluate_rule(r, calendars.get(r.calendar), &facts, level_index, now, lang, false))
        .is_some_and(|m| matches!(m.state, MilestoneState::BreachedOpen | MilestoneState::BreachedMet));
    policy
        .rules
        .iter()
        .map(|rule| {
            evaluate_rule(
                rule,
                calendars.get(rule.calendar),
                &facts,
                level_index,
                now,
                lang,
                resolve_breached,
            )
        })
        .collect()
}

fn evaluate_rule(
    rule: &MilestoneRule,
    calendar: &Calendar,
    facts: &Facts,
    level_index: usize,
    now: DateTime<Utc>,
    lang: Lang,
    resolve_breached: bool,
) -> MilestoneReport {
    let idle = |state, explanation: &str| MilestoneReport {
        kind: rule.kind,
        state,
        due: None,
        met_at: None,
        missed_at: None,
        allowed_seconds: 0,
        used_seconds: 0,
        left_seconds: 0,
        percent_used: 0,
        warning: Warning::None,
        explanation: explanation.to_owned(),
    };
    let Some(allowance) = rule.allowances[level_index] else {
        return idle(
            MilestoneState::NotApplicable,
            lang.pick("本级别不适用", "Does not apply to this level"),
        );
    };
    let open = |start| vec![Window { start, end: None }];
    let until = |start, end: Option<DateTime<Utc>>| vec![Window { start, end }];
    let (windows, met_at, start_label) = match rule.kind {
        MilestoneKind::Respond => {
            (until(facts.reported_at, facts.responded_at), facts.responded_at, Start::Reported)
        }
        MilestoneKind::HandlingPlan => {
            (until(facts.reported_at, facts.handling_plan_at), facts.handling_plan_at, Start::Reported)
        }
        MilestoneKind::OnSite => match facts.on_site_requested_at {
            None => {
                return idle(
                    MilestoneState::NotApplicable,
                    lang.pick("未要求工程师到场", "No on-site visit requested"),
                )
            }
            Some(req) => (until(req, facts.on_site_at), facts.on_site_at, Start::OnSiteRequested),
        },
        MilestoneKind::Resolve => (facts.resolve_windows.clone(), facts.resolved_at, Start::Reported),
        MilestoneKind::EmergencyPlan => {
            // The contract asks for it only once resolution runs late; a plan submitted before
            // then is not counted (it meets the milestone if resolution does run late).
            if !resolve_breached {
                let (state, text) = match (facts.resolved_at, facts.emergency_plan_at) {
                    (Some(_), None) => (
                        MilestoneState::NotApplicable,
                        lang.pick("已按时解决，无需应急方案", "Resolved in time; no emergency plan needed"),
                    ),
                    (Some(_), Some(_)) => (
                        MilestoneState::NotApplicable,
                        lang.pick(
                            "已按时解决，无需应急方案（方案已提前提交）",
                            "Resolved in time; no emergency plan needed (one was submitted early)",
                        ),
                    ),
                    (None, None) => (
                        MilestoneState::NotStarted,
                        lang.pick("解决超时后开始计时", "Starts if resolution runs late"),
                    ),
                    (None, Some(_)) => (
                        MilestoneState::NotApplicable,
                        lang.pick(
                            "方案已提前提交；解决未超时，暂不需要",
                            "Submitted early; not required while resolution is on time",
                        ),
                    ),
                };
                return idle(state, text);
            }
            // The same clock as Resolve (from the report, pauses excluded), stopped by the plan.
            let mut windows = facts.resolve_windows.clone();
            if let Some(plan) = facts.emergency_plan_at {
                windows = windows
                    .into_iter()
                    .filter(|w| w.start < plan)
                    .map(|w| Window { start: w.start, end: Some(w.end.map_or(plan, |e| e.min(plan))) })
                    .collect();
            }
            (windows, facts.emergency_plan_at, Start::Reported)
        }
        MilestoneKind::Report => match facts.resolved_at {
            None => {
                return idle(MilestoneState::NotStarted, lang.pick("解决后开始计时", "Starts when resolved"))
            }
            Some(resolved) => {
                let windows =
                    if facts.report_at.is_some() { until(resolved, facts.report_at) } else { open(resolved) };
                (windows, facts.report_at, Start::Resolved)
            }
        },
    };
    // What ends this clock for good, once it has happened: the first resolution after the
    // clock started ends the first response (respond, handling plan, on site); the current
    // resolution ends the emergency plan (whose clock is resolution's, which a reopen
    // restarts); the close ends every clock.
    let started = windows_start(&windows).unwrap_or(facts.reported_at);
    let ender = match rule.kind {
        MilestoneKind::Respond | MilestoneKind::HandlingPlan | MilestoneKind::OnSite => {
            facts.resolutions.iter().find(|r| **r >= started).map(|r| (*r, Ender::Resolved))
        }
        MilestoneKind::EmergencyPlan => facts.resolved_at.map(|r| (r, Ender::Resolved)),
        MilestoneKind::Resolve | MilestoneKind::Report => None,
    }
    .or(facts.closed_at.map(|c| (c, Ender::Closed)));
    // Done after its clock ended (a plan filed after a reopen) does not meet it.
    let met_at = met_at.filter(|met| ender.is_none_or(|(end, _)| *met <= end));
    let ended = ender.filter(|_| met_at.is_none());
    let windows = match ended {
        Some((end, _)) => windows
            .into_iter()
            .filter(|w| w.start < end)
            .map(|w| Window { start: w.start, end: Some(w.end.map_or(end, |e| e.min(end))) })
            .collect(),
        None => windows,
    };
    let clock = Clock {
        calendar,
        segments: facts.running_segments(&windows),
        windows,
        allowed: allowance.duration(calendar),
        met_at,
        ended: ended.map(|(end, _)| end),
    };
    let fig = clock.figures(now);
    let allowed_s = clock.allowed.num_seconds().max(1);
    let used_s = fig.used.num_seconds();
    let over = fig.used > clock.allowed;
    // An emergency plan or an on-site visit that never came, on an incident resolved before
    // it fell due, lapses: the need for it ended. (A handling plan is owed whatever happens.)
    if ended.is_some() && !over {
        match rule.kind {
            MilestoneKind::EmergencyPlan => {
                return idle(
                    MilestoneState::NotApplicable,
                    lang.pick("应急方案到期前已解决", "Resolved before the emergency plan fell due"),
                )
            }
            MilestoneKind::OnSite => {
                return idle(
                    MilestoneState::NotApplicable,
                    lang.pick("到场时限前已解决", "Resolved before the engineer was due on site"),
                )
            }
            _ => {}
        }
    }
    let state = match (met_at, over) {
        (None, _) if ended.is_some() => MilestoneState::Missed,
        (Some(_), false) => MilestoneState::Met,
        (Some(_), true) => MilestoneState::BreachedMet,
        (None, true) => MilestoneState::BreachedOpen,
        (None, false) if fig.running => MilestoneState::Running,
        (None, false) if clock.windows.iter().any(|w| w.end.is_none()) => MilestoneState::Paused,
        // The clock's windows all closed without the milestone being met: only an emergency
        // clock whose incident was resolved gets here, handled above.
        (None, false) => MilestoneState::NotApplicable,
    };
    let percent = u32::try_from(used_s.max(0) * 100 / allowed_s).unwrap_or(u32::MAX);
    let warning = match state {
        MilestoneState::BreachedOpen | MilestoneState::BreachedMet | MilestoneState::Missed => {
            Warning::Breached
        }
        MilestoneState::Running | MilestoneState::Paused if percent >= u32::from(rule.warn_percent[1]) => {
            Warning::Second
        }
        MilestoneState::Running | MilestoneState::Paused if percent >= u32::from(rule.warn_percent[0]) => {
            Warning::First
        }
        _ => Warning::None,
    };
    let start_at = match start_label {
        Start::Reported => facts.reported_at,
        Start::OnSiteRequested => windows_start(&clock.windows).unwrap_or(facts.reported_at),
        Start::Resolved => facts.resolved_at.unwrap_or(facts.reported_at),
    };
    let explanation = explain(&ExplainParts {
        lang,
        missed: ended,
        due: fig.due,
        start: start_label,
        start_at,
        allowance,
        working: matches!(calendar, Calendar::Working(_)),
        paused: clock.paused(now),
        // Resolution and the emergency plan share the clock that a reopen restarts.
        reopened: (matches!(rule.kind, MilestoneKind::Resolve | MilestoneKind::EmergencyPlan)
            && clock.windows.len() > 1)
            .then(|| {
                let last = clock.windows.last().map_or(facts.reported_at, |w| w.start);
                (last, before_reopen(&clock, last, now))
            }),
    });
    MilestoneReport {
        kind: rule.kind,
        state,
        due: fig.due,
        met_at,
        missed_at: ended.map(|(end, _)| end),
        allowed_seconds: clock.allowed.num_seconds(),
        used_seconds: used_s,
        left_seconds: clock.allowed.num_seconds() - used_s,
        percent_used: percent,
        warning,
        explanation,
    }
}

fn windows_start(windows: &[Window]) -> Option<DateTime<Utc>> {
    windows.first().map(|w| w.start)
}

/// Counted time used before the latest reopen.
fn before_reopen(clock: &Clock, reopened: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    clock
        .segments
        .iter()
        .filter(|s| s.start < reopened)
        .map(|s| clock.calendar.measure(s.start, s.end.unwrap_or(now).min(now).min(reopened)))
        .fold(Duration::zero(), |a, b| a + b)
}

/// The event that ended a clock with its milestone unmet.
#[derive(Clone, Copy)]
enum Ender {
    Resolved,
    Closed,
}

#[derive(Clone, Copy)]
enum Start {
    Reported,
    OnSiteRequested,
    Resolved,
}

struct ExplainParts {
    lang: Lang,
    missed: Option<(DateTime<Utc>, Ender)>,
    due: Option<DateTime<Utc>>,
    start: Start,
    start_at: DateTime<Utc>,
    allowance: Allowance,
    working: bool,
    paused: Duration,
    reopened: Option<(DateTime<Utc>, Duration)>,
}

/// "到期 10:30 = 报告 10:00 + 30 分钟；暂停 0 分钟" / "due 10:30 = reported 10:00 + 30 min; paused 0 min".
fn explain(p: &ExplainParts) -> String {
    let lang = p.lang;
    let start_name = match p.start {
        Start::Reported => lang.pick("报告", "reported"),
        Start::OnSiteRequested => lang.pick("要求到场", "on-site requested"),
        Start::Resolved => lang.pick("解决", "resolved"),
    };
    let start = clock_time(p.start_at, p.start_at);
    let due = p.due.map_or_else(|| lang.pick("无", "never").to_owned(), |d| clock_time(d, p.start_at));
    let allowance = p.allowance.describe(lang, p.working);
    let paused = format_duration(p.paused, lang);
    let mut text = match lang {
        Lang::ZhCn => format!("到期 {due} = {start_name} {start} + {allowance}；暂停 {paused}"),
        Lang::En => format!("due {due} = {start_name} {start} + {allowance}; paused {paused}"),
    };
    if let Some((at, used)) = p.reopened {
        let (at, used) = (clock_time(at, p.start_at), format_duration(used, lang));
        text.push_str(&match lang {
            Lang::ZhCn => format!("；{at} 重新打开，此前已用 {used}"),
            Lang::En => format!("; reopened {at}, {used} used before"),
        });
    }
    if p.working {
        text.push_str(lang.pick("（按工作时间计）", " (working time)"));
    }
    match p.missed {
        Some((at, ender)) => {
            let at = clock_time(at, p.start_at);
            let missed = match (lang, ender) {
                (Lang::ZhCn, Ender::Resolved) => format!("{at} 解决时未完成"),
                (Lang::ZhCn, Ender::Closed) => format!("{at} 关闭时未完成"),
                (Lang::En, Ender::Resolved) => format!("not done when resolved at {at}"),
                (Lang::En, Ender::Closed) => format!("not done when closed at {at}"),
            };
            format!("{missed}{}{text}", lang.pick("；", "; "))
        }
        None => text,
    }
}

/// "10:30" on the same day as `reference`, else "11-28 10:30", in the service zone; with the
/// seconds when there are any ("10:30:40"), so a deadline missed by seconds reads as missed.
fn clock_time(t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    let local = t.with_timezone(&SERVICE_TZ);
    let time = crate::i18n::time_of_day(t);
    if local.date_naive() == reference.with_timezone(&SERVICE_TZ).date_naive() {
        time
    } else {
        format!("{} {time}", local.format("%m-%d"))
    }
}

/// "30 秒" under a minute, else whole minutes: "0 分钟", "8 小时", "2 小时 30 分钟" /
/// "30 s", "0 min", "8 h", "2 h 30 min".
pub fn format_duration(d: Duration, lang: Lang) -> String {
    let seconds = d.num_seconds();
    if (1..60).contains(&seconds) {
        return match lang {
            Lang::ZhCn => format!("{seconds} 秒"),
            Lang::En => format!("{seconds} s"),
        };
    }
    let minutes = d.num_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    match (lang, h, m) {
        (Lang::ZhCn, 0, m) => format!("{m} 分钟"),
        (Lang::ZhCn, h, 0) => format!("{h} 小时"),
        (Lang::ZhCn, h, m) => format!("{h} 小时 {m} 分钟"),
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::En, h, 0) => format!("{h} h"),
        (Lang::En, h, m) => format!("{h} h {m} min"),
    }
}

/// How the SLA policy form names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "policy" => ("SLA 策略", "SLA policy"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests;
