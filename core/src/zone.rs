//! The service's time zone: times are stored in UTC and read, and counted in days, in the zone
//! of the contract's site. A leaf.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

/// The time zone of the contract's site.
pub const SERVICE_TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// The service zone's calendar date at `at`.
pub fn service_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&SERVICE_TZ).date_naive()
}

/// The instant `date` begins in the service zone: its midnight, or, on a day whose clocks skip
/// midnight, the first instant that exists.
pub fn service_midnight(date: NaiveDate) -> DateTime<Utc> {
    midnight_in(SERVICE_TZ, date)
}

/// The instant of the service zone's local time `local` (the first instant after a skipped hour).
pub fn from_service_local(local: chrono::NaiveDateTime) -> DateTime<Utc> {
    (0..=12)
        .find_map(|step| SERVICE_TZ.from_local_datetime(&(local + Duration::minutes(step * 10))).earliest())
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

fn midnight_in(tz: chrono_tz::Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    (0..=24)
        .find_map(|step| tz.from_local_datetime(&(midnight + Duration::minutes(step * 5))).earliest())
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_midnights_are_the_sites() {
        let date = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let midnight = service_midnight(date);
        assert_eq!(midnight.to_rfc3339(), "2026-09-30T16:00:00+00:00");
        assert_eq!(service_date(midnight), date);
        assert_eq!(service_date(midnight - Duration::seconds(1)), date.pred_opt().unwrap());
    }

    #[test]
    fn a_day_whose_clocks_skip_midnight_begins_when_they_resume() {
        // Shanghai kept summer time 1986–1991; it began at 02:00, so every midnight existed —
        // the rule is checked with a zone where the jump happened at midnight.
        let tz = chrono_tz::America::Santiago;
        let date = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        assert!(tz.from_local_datetime(&date.and_time(chrono::NaiveTime::MIN)).earliest().is_none());
        // 00:00 does not exist there that day; 01:00 local (-03:00) does.
        assert_eq!(midnight_in(tz, date).to_rfc3339(), "2022-09-11T04:00:00+00:00");
    }
}
