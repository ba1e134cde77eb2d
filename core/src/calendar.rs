//! Calendars the SLA clocks count on: the 7×24 wall clock, or working time (intervals per
//! weekday, public holidays, and adjusted working days such as a worked Saturday, 调休).
//!
//! Two operations matter: [`Calendar::measure`] (how much counted time lies between two
//! instants) and [`Calendar::add`] (the instant at which a given amount of counted time has
//! passed). "5 days" on a working calendar is working time, not wall time.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, Rule};
use crate::i18n::SERVICE_TZ;
use crate::{Error, Lang, Result};

/// How far `add` looks ahead before it concludes the calendar never has working time.
const SEARCH_DAYS: i64 = 3 * 366;

/// A span of working time within one day, local time, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkInterval {
    #[ts(type = "string")]
    pub start: NaiveTime,
    #[ts(type = "string")]
    pub end: NaiveTime,
}

/// A day that is not worked although its weekday normally is (a public holiday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Holiday {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub name: String,
}

/// Working time: what counts, and in which zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkingCalendar {
    /// IANA zone, e.g. `Asia/Shanghai`.
    #[ts(type = "string")]
    pub time_zone: Tz,
    /// Monday first; an empty list is a day off.
    pub weekly: [Vec<WorkInterval>; 7],
    pub holidays: Vec<Holiday>,
    /// Weekend days that are worked (调休), with the hours of a normal working day.
    #[ts(type = "Array<string>")]
    pub adjusted_workdays: Vec<NaiveDate>,
}

/// What an SLA clock counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calendar {
    /// Every second counts (7×24).
    Always,
    Working(Box<Working>),
}

/// A working calendar prepared for counting: its holidays as a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Working {
    calendar: WorkingCalendar,
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn working(calendar: WorkingCalendar) -> Calendar {
        let holidays = calendar.holidays.iter().map(|h| h.date).collect();
        Calendar::Working(Box::new(Working { calendar, holidays }))
    }
}

impl WorkingCalendar {
    /// Mon–Fri 08:30–12:00 and 13:30–17:30 in Shanghai, with the official holidays and adjusted
    /// working days shipped with the app.
    pub fn china_default() -> WorkingCalendar {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        let day = vec![
            WorkInterval { start: t(8, 30), end: t(12, 0) },
            WorkInterval { start: t(13, 30), end: t(17, 30) },
        ];
        let (holidays, adjusted_workdays) = shipped_holidays();
        WorkingCalendar {
            time_zone: SERVICE_TZ,
            weekly: [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]],
            holidays,
            adjusted_workdays,
        }
    }

    /// Whether `date` holds working time (a weekday that is no holiday, or a worked weekend).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let holidays: BTreeSet<NaiveDate> = self.holidays.iter().map(|h| h.date).collect();
        !self.intervals_on(date, &holidays).is_empty()
    }

    /// The working intervals that overlap `[from, to)`, clipped to it, in order.
    pub fn working_intervals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let holidays: BTreeSet<NaiveDate> = self.holidays.iter().map(|h| h.date).collect();
        let mut out = Vec::new();
        let mut date = self.local_date(from);
        let last = self.local_date(to);
        while date <= last {
            for (s, e) in self.intervals_on(date, &holidays) {
                let (s, e) = (s.max(from), e.min(to));
                if s < e {
                    out.push((s, e));
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        out
    }

    /// The working intervals of `date`, as UTC instants.
    fn intervals_on(
        &self,
        date: NaiveDate,
        holidays: &BTreeSet<NaiveDate>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let local = if self.adjusted_workdays.contains(&date) {
            self.standard_day()
        } else if holidays.contains(&date) {
            &[][..]
        } else {
            &self.weekly[date.weekday().num_days_from_monday() as usize][..]
        };
        local
            .iter()
            .filter_map(|i| {
                let start = self.time_zone.from_local_datetime(&date.and_time(i.start)).earliest()?;
                let end = self.time_zone.from_local_datetime(&date.and_time(i.end)).earliest()?;
                (start < end).then(|| (start.with_timezone(&Utc), end.with_timezone(&Utc)))
            })
            .collect()
    }

    /// The length of a normal working day: what "1 day" means on this calendar.
    pub fn standard_day_length(&self) -> Duration {
        self.standard_day().iter().map(|i| i.end - i.start).fold(Duration::zero(), |a, b| a + b)
    }

    /// The hours of a normal working day: the first weekday that has any.
    fn standard_day(&self) -> &[WorkInterval] {
        self.weekly.iter().find(|d| !d.is_empty()).map(Vec::as_slice).unwrap_or(&[])
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.time_zone).date_naive()
    }
}

impl Calendar {
    /// What "1 day" counts on this calendar: 24 h, or a normal working day.
    pub fn day_length(&self) -> Duration {
        match self {
            Calendar::Always => Duration::days(1),
            Calendar::Working(w) => w.calendar.standard_day_length(),
        }
    }

    /// Counted time between `from` and `to` (zero when `to <= from`).
    pub fn measure(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        match self {
            Calendar::Always => to - from,
            Calendar::Working(w) => {
                let (cal, holidays) = (&w.calendar, &w.holidays);
                let mut total = Duration::zero();
                let mut date = cal.local_date(from);
                let last = cal.local_date(to);
                while date <= last {
                    for (s, e) in cal.intervals_on(date, holidays) {
                        let (s, e) = (s.max(from), e.min(to));
                        if s < e {
                            total += e - s;
                        }
                    }
                    date = date.succ_opt().unwrap_or(date);
                    if date == NaiveDate::MAX {
                        break;
                    }
                }
                total
            }
        }
    }

    /// The instant at which `amount` of counted time has passed after `from`; `None` when the
    /// calendar holds no working time in the next three years.
    pub fn add(&self, from: DateTime<Utc>, amount: Duration) -> Option<DateTime<Utc>> {
        if amount <= Duration::zero() {
            return Some(from);
        }
        match self {
            Calendar::Always => from.checked_add_signed(amount),
            Calendar::Working(w) => {
                let (cal, holidays) = (&w.calendar, &w.holidays);
                let mut left = amount;
                let mut date = cal.local_date(from);
                for _ in 0..SEARCH_DAYS {
                    for (s, e) in cal.intervals_on(date, holidays) {
                        let s = s.max(from);
                        if s >= e {
                            continue;
                        }
                        if e - s >= left {
                            return Some(s + left);
                        }
                        left -= e - s;
                    }
                    date = date.succ_opt()?;
                }
                None
            }
        }
    }
}

impl WorkingCalendar {
    /// Checks an edited calendar: intervals that start before they end and do not overlap, some
    /// working time in the week, each holiday and adjusted day once.
    pub fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        for (day, intervals) in self.weekly.iter().enumerate() {
            let mut sorted = intervals.clone();
            sorted.sort_by_key(|i| i.start);
            let bad =
                sorted.iter().any(|i| i.start >= i.end) || sorted.windows(2).any(|w| w[0].end > w[1].start);
            if bad {
                errors.push(FieldError::new(WEEKDAY_FIELDS[day], Rule::IntervalsInvalid));
            }
        }
        if self.weekly.iter().all(Vec::is_empty) {
            errors.push(FieldError::new("weekly", Rule::NoWorkingTime));
        }
        let mut dates: Vec<NaiveDate> = self.holidays.iter().map(|h| h.date).collect();
        dates.sort();
        if dates.windows(2).any(|w| w[0] == w[1]) {
            errors.push(FieldError::new("holidays", Rule::Duplicate));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(errors, labels))
        }
    }

    /// Adds the holidays of an iCalendar file (`.ics`, e.g. exported from a calendar app),
    /// skipping dates already listed; returns how many were added.
    pub fn import_ics(&mut self, text: &str) -> Result<usize> {
        let found = parse_ics_holidays(text)?;
        let before = self.holidays.len();
        for holiday in found {
            if !self.holidays.iter().any(|h| h.date == holiday.date) {
                self.holidays.push(holiday);
            }
        }
        self.holidays.sort_by_key(|h| h.date);
        Ok(self.holidays.len() - before)
    }
}

/// Monday first, the form fields of the weekly intervals.
const WEEKDAY_FIELDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Every day of every all-day event (`DTSTART;VALUE=DATE`, `DTEND` exclusive) with its summary.
pub fn parse_ics_holidays(text: &str) -> Result<Vec<Holiday>> {
    // Lines may be folded: a line starting with a space continues the previous one.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        match raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ => lines.push(raw.trim_end().to_owned()),
        }
    }
    let date_of = |line: &str| -> Option<NaiveDate> {
        let value = line.rsplit(':').next()?.trim();
        NaiveDate::parse_from_str(value.get(..8)?, "%Y%m%d").ok()
    };
    let mut holidays = Vec::new();
    let (mut start, mut end, mut name) = (None, None, String::new());
    for line in &lines {
        let upper = line.to_ascii_uppercase();
        if upper == "BEGIN:VEVENT" {
            (start, end, name) = (None, None, String::new());
        } else if upper.starts_with("DTSTART") {
            start = date_of(line);
        } else if upper.starts_with("DTEND") {
            end = date_of(line);
        } else if upper.starts_with("SUMMARY") {
            name = line
                .split_once(':')
                .map(|(_, v)| v.replace("\\,", ",").trim().to_owned())
                .unwrap_or_default();
        } else if upper == "END:VEVENT" {
            let Some(first) = start else { continue };
            let last = end.and_then(|e| e.pred_opt()).filter(|e| *e >= first).unwrap_or(first);
            let mut day = first;
            while day <= last && holidays.len() < 10_000 {
                holidays.push(Holiday { date: day, name: name.clone() });
                day = match day.succ_opt() {
                    Some(next) => next,
                    None => break,
                };
            }
        }
    }
    if holidays.is_empty() {
        return Err(Error::invalid(vec![FieldError::new("ics", Rule::NoHolidaysFound)], labels));
    }
    Ok(holidays)
}

#[derive(Deserialize)]
struct HolidayFile {
    years: std::collections::BTreeMap<String, HolidayYear>,
}

#[derive(Deserialize)]
struct HolidayYear {
    off: Vec<(NaiveDate, NaiveDate, String)>,
    work: Vec<NaiveDate>,
}

/// The official schedules shipped in `core/assets/cn-holidays.json` (State Council notices).
pub fn shipped_holidays() -> (Vec<Holiday>, Vec<NaiveDate>) {
    let file: HolidayFile = match serde_json::from_str(include_str!("../assets/cn-holidays.json")) {
        Ok(f) => f,
        // The file is embedded at build time and checked by a test; an empty list is the
        // harmless fallback should it ever fail to parse.
        Err(_) => return (Vec::new(), Vec::new()),
    };
    let mut holidays = Vec::new();
    let mut work = Vec::new();
    for year in file.years.values() {
        for (first, last, name) in &year.off {
            let mut d = *first;
            while d <= *last {
                holidays.push(Holiday { date: d, name: name.clone() });
                d = match d.succ_opt() {
                    Some(next) => next,
                    None => break,
                };
            }
        }
        work.extend(year.work.iter().copied());
    }
    (holidays, work)
}

/// How the working calendar names its fields.
pub fn labels(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        "mon" => ("星期一", "Monday"),
        "tue" => ("星期二", "Tuesday"),
        "wed" => ("星期三", "Wednesday"),
        "thu" => ("星期四", "Thursday"),
        "fri" => ("星期五", "Friday"),
        "sat" => ("星期六", "Saturday"),
        "sun" => ("星期日", "Sunday"),
        "holidays" => ("节假日", "Holidays"),
        "weekly" => ("每周工作时间", "Weekly hours"),
        "ics" => ("日历文件", "Calendar file"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Shanghai wall-clock time as a UTC instant.
    fn sh(text: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        SERVICE_TZ.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    fn working() -> Calendar {
        Calendar::working(WorkingCalendar::china_default())
    }

    #[test]
    fn the_shipped_schedule_has_2025_and_2026() {
        let (holidays, work) = shipped_holidays();
        let has = |d: &str| holidays.iter().any(|h| h.date == d.parse::<NaiveDate>().unwrap());
        assert!(has("2025-10-08"), "National Day 2025");
        assert!(has("2026-02-23"), "last day of Spring Festival 2026");
        assert!(work.contains(&"2026-02-14".parse().unwrap()), "the worked Saturday before Spring Festival");
    }

    #[test]
    fn wall_clock_counts_every_minute() {
        let d = Calendar::Always.measure(sh("2026-11-27 22:00"), sh("2026-11-28 02:30"));
        assert_eq!(d, Duration::minutes(270));
        assert_eq!(
            Calendar::Always.add(sh("2026-11-27 22:00"), Duration::hours(5)),
            Some(sh("2026-11-28 03:00"))
        );
    }

    #[test]
    fn working_time_skips_lunch_nights_and_weekends() {
        // Friday 2026-11-27, 11:00 → Monday 2026-11-30, 09:30:
        // Fri 11:00–12:00 (1 h) + 13:30–17:30 (4 h) + Mon 08:30–09:30 (1 h) = 6 h.
        assert_eq!(working().measure(sh("2026-11-27 11:00"), sh("2026-11-30 09:30")), Duration::hours(6));
        assert_eq!(working().add(sh("2026-11-27 11:00"), Duration::hours(6)), Some(sh("2026-11-30 09:30")));
    }

    #[test]
    fn a_start_outside_working_hours_waits_for_the_next_interval() {
        assert_eq!(
            working().add(sh("2026-11-27 20:00"), Duration::minutes(30)),
            Some(sh("2026-11-30 09:00"))
        );
        assert_eq!(
            working().add(sh("2026-11-27 12:10"), Duration::minutes(30)),
            Some(sh("2026-11-27 14:00"))
        );
    }

    #[test]
    fn holidays_are_skipped_and_adjusted_saturdays_are_worked() {
        // Friday 2026-02-13 17:00, on the eve of Spring Festival: Saturday 02-14 is a worked
        // day (调休), then 02-15..02-23 are off; 02-24 (Tuesday) is the next working day.
        let from = sh("2026-02-13 17:00");
        // Fri 17:00–17:30 = 0.5 h; Sat 02-14 a full 7.5 h day: 8 h in all by Sat 17:30.
        assert_eq!(working().add(from, Duration::hours(8)), Some(sh("2026-02-14 17:30")));
        // One more hour lands after the holiday.
        assert_eq!(working().add(from, Duration::hours(9)), Some(sh("2026-02-24 09:30")));
        assert_eq!(working().measure(sh("2026-02-15 00:00"), sh("2026-02-24 00:00")), Duration::zero());
    }

    #[test]
    fn a_calendar_without_working_time_never_comes_due() {
        let mut cal = WorkingCalendar::china_default();
        cal.weekly = Default::default();
        cal.adjusted_workdays.clear();
        assert_eq!(Calendar::working(cal).add(sh("2026-01-01 00:00"), Duration::hours(1)), None);
    }

    #[test]
    fn holidays_import_from_an_ics_file() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270104\r\n\
                   SUMMARY:元旦\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:已有\r\n\
                   END:VEVENT\r\nEND:VCALENDAR\r\n";
        let mut cal = WorkingCalendar::china_default();
        let added = cal.import_ics(ics).unwrap();
        assert_eq!(added, 3, "2027-01-01..03 (DTEND is exclusive); 2026-01-01 was already there");
        assert!(cal.holidays.iter().any(|h| h.date.to_string() == "2027-01-03" && h.name == "元旦"));
        assert!(cal.validate().is_ok());
        let err = parse_ics_holidays("not a calendar").unwrap_err();
        assert_eq!(err.fields()[0].code(), "no_holidays_found");
    }

    #[test]
    fn an_edited_calendar_is_checked() {
        let mut cal = WorkingCalendar::china_default();
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        cal.weekly[0] =
            vec![WorkInterval { start: t(9), end: t(12) }, WorkInterval { start: t(11), end: t(14) }];
        cal.weekly[1] = vec![WorkInterval { start: t(14), end: t(9) }];
        let fields: Vec<&str> =
            cal.validate().unwrap_err().fields().iter().map(|f| f.static_name()).collect();
        assert_eq!(fields, ["mon", "tue"]);
        cal.weekly = Default::default();
        assert_eq!(cal.validate().unwrap_err().fields()[0].code(), "no_working_time");
    }

    #[test]
    fn measure_and_add_agree() {
        let from = sh("2026-09-24 16:45");
        for minutes in [1, 45, 60, 450, 451, 5 * 450, 20 * 450] {
            let amount = Duration::minutes(minutes);
            let due = working().add(from, amount).unwrap();
            assert_eq!(working().measure(from, due), amount, "{minutes} min from {from}");
        }
    }
}
