//! The service calendar (运维服务计划): one view of all recurring work — inspections, the
//! client's backups, maintenance and training — day by day, with who holds the duty phone, and
//! as an iCalendar file to take away.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ics::{self, IcsEvent};
use crate::Lang;

/// What kind of work an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkType {
    Inspection,
    Backup,
    Maintenance,
    Training,
}

impl WorkType {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            WorkType::Inspection => lang.pick("巡检", "Inspection"),
            WorkType::Backup => lang.pick("备份", "Backup"),
            WorkType::Maintenance => lang.pick("维护", "Maintenance"),
            WorkType::Training => lang.pick("培训", "Training"),
        }
    }
}

/// One piece of work on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarEntry {
    pub kind: WorkType,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    /// Who does it, when known.
    pub who: String,
    /// Where it stands (a run's or work order's state, in words), empty for what lies ahead.
    pub state: String,
    /// The record it comes from (plan, work order, session id).
    pub source: String,
}

/// A day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarDay {
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Who holds the duty phone that day (the rota's nights and rest days).
    pub duty: Vec<String>,
    pub entries: Vec<CalendarEntry>,
}

/// Groups `entries` by service date over `[from, to]`, each day with its duty people (from
/// `duty`, a function of the date), entries in time order.
pub fn days(
    from: NaiveDate,
    to: NaiveDate,
    mut entries: Vec<CalendarEntry>,
    duty: impl Fn(NaiveDate) -> Vec<String>,
) -> Vec<CalendarDay> {
    entries.sort_by(|a, b| (a.start, a.kind, &a.title).cmp(&(b.start, b.kind, &b.title)));
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let todays = entries.iter().filter(|e| crate::zone::service_date(e.start) == day).cloned().collect();
        out.push(CalendarDay { date: day, duty: duty(day), entries: todays });
        day += Duration::days(1);
    }
    out
}

/// The calendar as an iCalendar file (one event per entry).
pub fn calendar_ics(days: &[CalendarDay], lang: Lang, stamp: DateTime<Utc>) -> String {
    let events: Vec<IcsEvent> = days
        .iter()
        .flat_map(|d| d.entries.iter())
        .map(|e| IcsEvent {
            uid: format!(
                "{}-{}-{}@yunwei",
                e.source,
                e.start.timestamp(),
                e.kind.name(Lang::En).to_lowercase()
            ),
            start: e.start,
            end: e.end.max(e.start + Duration::minutes(30)),
            summary: format!("[{}] {}", e.kind.name(lang), e.title),
            location: String::new(),
            description: if e.who.is_empty() { String::new() } else { e.who.clone() },
        })
        .collect();
    ics::calendar(lang.pick("运维服务计划", "Service calendar"), &events, stamp)
}
