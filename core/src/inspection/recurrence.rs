//! When routine work falls due: every day, the calendar's working days (holidays off, 调休
//! Saturdays on), chosen weekdays, a day of the month, the nth weekday of the month, or every N
//! days. Each occurrence is a date; a plan's run for that date is its period's one run.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::WorkingCalendar;
use crate::error::Rule;
use crate::FieldError;

/// How often a plan falls due. Month intervals and day intervals count from the plan's first
/// date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    Daily,
    /// Days with working hours on the working calendar (holidays off, 调休 weekends on).
    WorkingDays,
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    Weekdays {
        days: Vec<u8>,
    },
    /// The `day` of every `every_months`th month; a day the month lacks (the 31st in April) is
    /// its last day.
    MonthlyDay {
        day: u8,
        every_months: u8,
    },
    /// The `nth` (1–4, or -1 for the last) `weekday` (1–7) of every `every_months`th month.
    MonthlyNth {
        nth: i8,
        weekday: u8,
        every_months: u8,
    },
    /// Every `days` days from the first date.
    EveryNDays {
        days: u16,
    },
}

/// A working calendar's days, prepared for asking day after day.
pub struct Workdays<'a> {
    calendar: &'a WorkingCalendar,
    holidays: BTreeSet<NaiveDate>,
    adjusted: BTreeSet<NaiveDate>,
}

impl<'a> Workdays<'a> {
    pub fn new(calendar: &'a WorkingCalendar) -> Self {
        Workdays {
            calendar,
            holidays: calendar.holidays.iter().map(|h| h.date).collect(),
            adjusted: calendar.adjusted_workdays.iter().copied().collect(),
        }
    }

    /// Whether `date` has working hours (a 调休 weekend does; a holiday does not).
    pub fn is_working(&self, date: NaiveDate) -> bool {
        if self.adjusted.contains(&date) {
            return true;
        }
        !self.holidays.contains(&date)
            && !self.calendar.weekly[date.weekday().num_days_from_monday() as usize].is_empty()
    }
}

/// Months between the first of `from`'s month and the first of `to`'s month.
fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

fn last_day_of_month(date: NaiveDate) -> u32 {
    let (y, m) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

fn weekday(iso: u8) -> Option<Weekday> {
    (1..=7).contains(&iso).then(|| Weekday::try_from(iso - 1).ok()).flatten()
}

impl Recurrence {
    /// The refusals of a recurrence as filled in, on field `field`.
    pub fn check(&self, errors: &mut Vec<FieldError>, field: &'static str) {
        let bad = match self {
            Recurrence::Daily | Recurrence::WorkingDays => false,
            Recurrence::Weekdays { days } => days.is_empty() || days.iter().any(|d| weekday(*d).is_none()),
            Recurrence::MonthlyDay { day, every_months } => {
                !(1..=31).contains(day) || !(1..=12).contains(every_months)
            }
            Recurrence::MonthlyNth { nth, weekday: w, every_months } => {
                !matches!(nth, 1..=4 | -1) || weekday(*w).is_none() || !(1..=12).contains(every_months)
            }
            Recurrence::EveryNDays { days } => !(1..=366).contains(days),
        };
        if bad {
            errors.push(FieldError::new(field, Rule::NotChosen));
        }
    }

    /// Whether the plan that began on `first` falls due on `date` (never before `first`).
    pub fn falls_on(&self, first: NaiveDate, date: NaiveDate, workdays: &Workdays) -> bool {
        if date < first {
            return false;
        }
        let in_month_step = |every: u8| months_between(first, date) % i32::from(every.max(1)) == 0;
        match self {
            Recurrence::Daily => true,
            Recurrence::WorkingDays => workdays.is_working(date),
            Recurrence::Weekdays { days } => days.contains(&(date.weekday().number_from_monday() as u8)),
            Recurrence::MonthlyDay { day, every_months } => {
                in_month_step(*every_months) && date.day() == u32::from(*day).min(last_day_of_month(date))
            }
            Recurrence::MonthlyNth { nth, weekday: w, every_months } => {
                let Some(w) = weekday(*w) else { return false };
                let nth_matches = match nth {
                    -1 => date.day() + 7 > last_day_of_month(date),
                    n => (date.day() - 1) / 7 + 1 == u32::from(n.unsigned_abs()),
                };
                in_month_step(*every_months) && date.weekday() == w && nth_matches
            }
            Recurrence::EveryNDays { days } => (date - first).num_days() % i64::from((*days).max(1)) == 0,
        }
    }

    /// The dates in `[from, to]` the plan that began on `first` falls due, in order.
    pub fn dates(
        &self,
        first: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        workdays: &Workdays,
    ) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut day = from.max(first);
        while day <= to {
            if self.falls_on(first, day, workdays) {
                out.push(day);
            }
            day += Duration::days(1);
        }
        out
    }

    /// The first date after `date` the plan falls due, looking at most 13 months ahead.
    pub fn next_after(&self, first: NaiveDate, date: NaiveDate, workdays: &Workdays) -> Option<NaiveDate> {
        let mut day = date.succ_opt()?.max(first);
        let end = date + Duration::days(400);
        while day <= end {
            if self.falls_on(first, day, workdays) {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }
}
