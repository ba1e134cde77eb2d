//! The on-call rota (值班表). The contract staffs the hotline in working hours (5×8) and a mobile
//! duty line 7×24 outside them. A [`Rotation`] hands the duty phone from person to person once a
//! day at its hand-over time, on the shifts of its pattern (weekday nights; weekend and holiday
//! days and nights); an [`Override`] (a swap, a stand-in) wins over the rotation for its interval.
//! [`expand`] turns both into duty intervals; [`coverage`] finds the gaps outside working hours
//! and the double bookings.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::WorkingCalendar;
use crate::error::Rule;
use crate::ics::{self, IcsEvent};
use crate::{Error, FieldError, Lang, Result};

/// Which days a shift runs on, by the working calendar (holidays and 调休 included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Days with working hours.
    Workday,
    /// Weekends and public holidays (days without working hours).
    RestDay,
    Every,
}

/// One shift of a pattern: local `start` to `end`; an `end` at or before `start` is the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShiftRule {
    pub on: DayKind,
    #[ts(type = "string")]
    pub start: NaiveTime,
    #[ts(type = "string")]
    pub end: NaiveTime,
}

/// People taking the duty phone in turn, one duty day each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rotation {
    pub id: String,
    pub name: String,
    /// Person ids in turn order.
    pub members: Vec<String>,
    pub shifts: Vec<ShiftRule>,
    /// When the duty day changes hands (e.g. 08:30).
    #[ts(type = "string")]
    pub handover: NaiveTime,
    /// The first duty day, taken by the first member.
    #[ts(type = "string")]
    pub start_date: NaiveDate,
    /// The daytime hotline desk (5×8): its duties must cover the working day.
    #[serde(default)]
    pub desk: bool,
}

/// A person taking an interval, whoever the rotations say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Override {
    pub id: String,
    pub person_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub note: String,
}

/// Someone holding the duty phone from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Duty {
    pub person_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The rotation it comes from, or `None` for an override.
    pub rotation_id: Option<String>,
}

/// An interval outside working hours that no one covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Gap {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Two duties at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoubleBooking {
    pub first: Duty,
    pub second: Duty,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Coverage {
    pub gaps: Vec<Gap>,
    pub double_bookings: Vec<DoubleBooking>,
    /// Working hours no one holds the hotline desk (only checked once a desk rotation exists).
    pub desk_gaps: Vec<Gap>,
}

/// The rotation form as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RotationForm {
    pub name: String,
    pub members: Vec<String>,
    pub shifts: Vec<ShiftForm>,
    pub handover: String,
    pub start_date: String,
    /// The daytime hotline desk (5×8) rather than the out-of-hours phone.
    pub desk: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ShiftForm {
    /// `workday`, `rest_day` or `every`.
    pub on: String,
    pub start: String,
    pub end: String,
}

impl RotationForm {
    /// Checks the form; `id` is the rotation's (new or existing) id.
    pub fn validate(&self, id: String) -> Result<Rotation> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", Rule::Required));
        }
        if self.members.is_empty() {
            errors.push(FieldError::new("members", Rule::Required));
        }
        if self.shifts.is_empty() {
            errors.push(FieldError::new("shifts", Rule::Required));
        }
        let time = |errors: &mut Vec<FieldError>, field: String, text: &str| match NaiveTime::parse_from_str(
            text.trim(),
            "%H:%M",
        ) {
            Ok(t) => t,
            Err(_) => {
                let rule = if text.trim().is_empty() { Rule::Required } else { Rule::InvalidTimeOfDay };
                errors.push(FieldError::new(field, rule));
                NaiveTime::MIN
            }
        };
        let shifts = self
            .shifts
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let on = match s.on.as_str() {
                    "workday" => DayKind::Workday,
                    "rest_day" => DayKind::RestDay,
                    "every" => DayKind::Every,
                    other => {
                        errors.push(FieldError::new(
                            format!("shifts.{i}.on"),
                            Rule::Unknown { value: other.into() },
                        ));
                        DayKind::Every
                    }
                };
                let start = time(&mut errors, format!("shifts.{i}.start"), &s.start);
                let end = time(&mut errors, format!("shifts.{i}.end"), &s.end);
                ShiftRule { on, start, end }
            })
            .collect();
        let handover = time(&mut errors, "handover".into(), &self.handover);
        let start_date = match NaiveDate::parse_from_str(self.start_date.trim(), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                let rule = if self.start_date.trim().is_empty() { Rule::Required } else { Rule::InvalidDate };
                errors.push(FieldError::new("start_date", rule));
                NaiveDate::MIN
            }
        };
        if !errors.is_empty() {
            return Err(Error::invalid(errors, labels));
        }
        Ok(Rotation {
            id,
            name,
            members: self.members.clone(),
            shifts,
            handover,
            start_date,
            desk: self.desk,
        })
    }
}

/// The duties of `rotation` that overlap `[from, to)`, clipped to it, in time order.
pub fn expand(
    rotation: &Rotation,
    calendar: &WorkingCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Duty> {
    let tz = calendar.time_zone;
    let mut duties = Vec::new();
    if rotation.members.is_empty() || from >= to {
        return duties;
    }
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
    // A night shift of the previous day may reach into the period.
    let mut date = local(from) - Duration::days(1);
    let last = local(to);
    while date <= last {
        let working = calendar.is_working_day(date);
        for rule in &rotation.shifts {
            let runs = match rule.on {
                DayKind::Every => true,
                DayKind::Workday => working,
                DayKind::RestDay => !working,
            };
            if !runs {
                continue;
            }
            let start_local = date.and_time(rule.start);
            let end_date = if rule.end <= rule.start { date + Duration::days(1) } else { date };
            let end_local = end_date.and_time(rule.end);
            // The duty day of a shift is the date of its start less the hand-over time.
            let duty_day = (start_local - (rotation.handover - NaiveTime::MIN)).date();
            let index = (duty_day - rotation.start_date).num_days();
            if index < 0 {
                continue;
            }
            let person = &rotation.members[(index as usize) % rotation.members.len()];
            let (Some(start), Some(end)) = (
                tz.from_local_datetime(&start_local).earliest(),
                tz.from_local_datetime(&end_local).earliest(),
            ) else {
                continue;
            };
            let (start, end) = (start.with_timezone(&Utc).max(from), end.with_timezone(&Utc).min(to));
            if start < end {
                duties.push(Duty {
                    person_id: person.clone(),
                    start,
                    end,
                    rotation_id: Some(rotation.id.clone()),
                });
            }
        }
        date += Duration::days(1);
    }
    duties.sort_by_key(|d| d.start);
    duties
}

/// The rotations' duties in `[from, to)` with `overrides` applied: an override takes its
/// interval from every rotation duty it overlaps.
pub fn schedule(
    rotations: &[Rotation],
    overrides: &[Override],
    calendar: &WorkingCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Duty> {
    let mut duties: Vec<Duty> = Vec::new();
    for rotation in rotations {
        for duty in expand(rotation, calendar, from, to) {
            let mut pieces = vec![duty];
            for o in overrides {
                pieces = pieces.into_iter().flat_map(|d| subtract(d, o.start, o.end)).collect();
            }
            duties.extend(pieces);
        }
    }
    for o in overrides {
        let (start, end) = (o.start.max(from), o.end.min(to));
        if start < end {
            duties.push(Duty { person_id: o.person_id.clone(), start, end, rotation_id: None });
        }
    }
    duties.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    duties
}

/// `duty` without `[start, end)`: nothing, itself, or one or two pieces.
fn subtract(duty: Duty, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Duty> {
    if end <= duty.start || start >= duty.end {
        return vec![duty];
    }
    let mut pieces = Vec::new();
    if duty.start < start {
        pieces.push(Duty { end: start, ..duty.clone() });
    }
    if end < duty.end {
        pieces.push(Duty { start: end, ..duty });
    }
    pieces
}

/// Gaps (times outside working hours no one covers) and double bookings (two duties at once) in
/// `[from, to)`, for `duties` from [`schedule`].
pub fn coverage(
    duties: &[Duty],
    calendar: &WorkingCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Coverage {
    // What must be covered: the period less the working day.
    let spans = working_days(calendar, from, to);
    let mut required = Vec::new();
    let mut cursor = from;
    for (s, e) in spans {
        if cursor < s {
            required.push((cursor, s));
        }
        cursor = cursor.max(e);
    }
    if cursor < to {
        required.push((cursor, to));
    }
    let mut sorted: Vec<&Duty> = duties.iter().collect();
    sorted.sort_by_key(|d| d.start);
    let gaps = uncovered(required, &sorted);
    let mut double_bookings = Vec::new();
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted[i + 1..].iter().take_while(|b| b.start < a.end) {
            let (s, e) = (a.start.max(b.start), a.end.min(b.end));
            if s < e {
                double_bookings.push(DoubleBooking {
                    first: (*a).clone(),
                    second: (*b).clone(),
                    start: s,
                    end: e,
                });
            }
        }
    }
    Coverage { gaps, double_bookings, desk_gaps: Vec::new() }
}

/// The working day's hours (first to last working hour of each day, the lunch break counting
/// as staffed) in `[from, to)` that none of `desk` (the desk rotations' duties and overrides)
/// covers.
pub fn desk_gaps(
    desk: &[Duty],
    calendar: &WorkingCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Gap> {
    let spans = working_days(calendar, from, to);
    let mut sorted: Vec<&Duty> = desk.iter().collect();
    sorted.sort_by_key(|d| d.start);
    uncovered(spans, &sorted)
}

/// Each working day in `[from, to)` from its first to its last working hour (the lunch break
/// counts as staffed).
fn working_days(
    calendar: &WorkingCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let day = |t: DateTime<Utc>| t.with_timezone(&calendar.time_zone).date_naive();
    for (s, e) in calendar.working_intervals(from, to) {
        match spans.last_mut() {
            Some(last) if day(last.0) == day(s) => last.1 = e,
            _ => spans.push((s, e)),
        }
    }
    spans
}

/// The parts of `required` that none of `duties` (sorted by start) covers.
fn uncovered(required: Vec<(DateTime<Utc>, DateTime<Utc>)>, duties: &[&Duty]) -> Vec<Gap> {
    let mut covered: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for d in duties {
        match covered.last_mut() {
            Some(last) if d.start <= last.1 => last.1 = last.1.max(d.end),
            _ => covered.push((d.start, d.end)),
        }
    }
    let mut gaps = Vec::new();
    for (mut s, e) in required {
        for &(cs, ce) in &covered {
            if ce <= s || cs >= e {
                continue;
            }
            if cs > s {
                gaps.push(Gap { start: s, end: cs });
            }
            s = s.max(ce);
            if s >= e {
                break;
            }
        }
        if s < e {
            gaps.push(Gap { start: s, end: e });
        }
    }
    gaps
}

/// Who holds the duty phone at `at`, and when it next changes hands (after `at`, within a week).
pub fn on_duty(duties: &[Duty], at: DateTime<Utc>) -> (Vec<&Duty>, Option<DateTime<Utc>>) {
    let now: Vec<&Duty> = duties.iter().filter(|d| d.start <= at && at < d.end).collect();
    let next = duties
        .iter()
        .flat_map(|d| [d.start, d.end])
        .filter(|t| *t > at)
        .filter(|t| {
            // A boundary where the person changes, not where one shift runs into the next of the
            // same person.
            let before: Vec<&str> =
                duties.iter().filter(|d| d.start < *t && *t <= d.end).map(|d| d.person_id.as_str()).collect();
            let after: Vec<&str> =
                duties.iter().filter(|d| d.start <= *t && *t < d.end).map(|d| d.person_id.as_str()).collect();
            before != after
        })
        .min();
    (now, next)
}

/// Duties as an iCalendar file (RFC 5545) for a phone's calendar; `names` maps person ids to
/// names, `stamp` is the DTSTAMP.
pub fn duties_ics(
    duties: &[Duty],
    names: &HashMap<String, String>,
    title: &str,
    stamp: DateTime<Utc>,
) -> String {
    let events: Vec<IcsEvent> = duties
        .iter()
        .map(|d| {
            let name = names.get(&d.person_id).map_or(d.person_id.as_str(), String::as_str);
            IcsEvent {
                uid: format!("duty-{}-{}@yunwei", d.person_id, d.start.timestamp()),
                start: d.start,
                end: d.end,
                summary: format!("值班 On call: {name}"),
                location: String::new(),
                description: String::new(),
            }
        })
        .collect();
    ics::calendar(title, &events, stamp)
}

/// Who holds the duty phone now, and when it next changes hands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OnDuty {
    pub people: Vec<String>,
    pub next_handover: Option<DateTime<Utc>>,
    /// Nobody is on the rota but it is working time: the service desk (客服服务部) answers.
    pub office_hours: bool,
    /// The service desk's current members, who answer in working time.
    pub desk: Vec<String>,
}

/// An override as entered: a person takes an interval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OverrideForm {
    pub person_id: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    pub note: String,
}

/// The rota of a period: every duty, the people's names, and the coverage check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rota {
    pub duties: Vec<Duty>,
    pub names: HashMap<String, String>,
    pub coverage: Coverage,
}

/// How the rotation and stand-in forms name their fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "name" => ("轮值名称", "Rotation name"),
        "members" => ("轮值成员", "member"),
        "person" => ("人员", "Person"),
        "person_id" => ("人员", "Person"),
        "shifts" => ("班次", "shift"),
        "on" => ("适用日期", "Days"),
        "start" => ("开始时间", "Start"),
        "end" => ("结束时间", "End"),
        "start_date" => ("起始日期", "Start date"),
        "handover" => ("交接时间", "Hand-over time"),
        "note" => ("说明", "Note"),
        "from" => ("起始时间", "From"),
        "to" => ("截止时间", "To"),
        "month" => ("月份", "Month"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests;
