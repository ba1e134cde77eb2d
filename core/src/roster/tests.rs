use super::*;
use crate::i18n::SERVICE_TZ;

/// Local Shanghai time.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    SERVICE_TZ.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Weekday nights 17:30–08:30; weekend and holiday days 08:30–20:30 and nights 20:30–08:30.
fn contract_pattern() -> Vec<ShiftRule> {
    vec![
        ShiftRule { on: DayKind::Workday, start: hm(17, 30), end: hm(8, 30) },
        ShiftRule { on: DayKind::RestDay, start: hm(8, 30), end: hm(20, 30) },
        ShiftRule { on: DayKind::RestDay, start: hm(20, 30), end: hm(8, 30) },
    ]
}

fn rotation(members: &[&str], start: NaiveDate) -> Rotation {
    Rotation {
        id: "r1".into(),
        name: "热线值班".into(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
        shifts: contract_pattern(),
        handover: hm(8, 30),
        start_date: start,
        desk: false,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn who(duties: &[Duty]) -> Vec<(String, String, String)> {
    let local = |t: DateTime<Utc>| t.with_timezone(&SERVICE_TZ).format("%m-%d %H:%M").to_string();
    duties.iter().map(|d| (d.person_id.clone(), local(d.start), local(d.end))).collect()
}

fn triple(p: &str, s: &str, e: &str) -> (String, String, String) {
    (p.into(), s.into(), e.into())
}

#[test]
fn a_rotation_hands_over_daily_across_a_month_boundary() {
    let cal = WorkingCalendar::china_default();
    // Saturday 28 November 2026 to Wednesday 2 December.
    let duties = expand(
        &rotation(&["A", "B", "C"], date(2026, 11, 28)),
        &cal,
        at(2026, 11, 28, 0, 0),
        at(2026, 12, 2, 8, 30),
    );
    assert_eq!(
        who(&duties),
        [
            triple("A", "11-28 08:30", "11-28 20:30"),
            triple("A", "11-28 20:30", "11-29 08:30"),
            triple("B", "11-29 08:30", "11-29 20:30"),
            triple("B", "11-29 20:30", "11-30 08:30"),
            triple("C", "11-30 17:30", "12-01 08:30"),
            triple("A", "12-01 17:30", "12-02 08:30"),
        ]
    );
}

#[test]
fn holidays_run_the_rest_day_shifts_and_adjusted_saturdays_the_workday_ones() {
    let cal = WorkingCalendar::china_default();
    // National Day (Thursday 1 October 2026) is a holiday; Saturday 10 October is worked (调休).
    let r = rotation(&["A", "B"], date(2026, 9, 30));
    let oct1 = expand(&r, &cal, at(2026, 10, 1, 8, 30), at(2026, 10, 2, 8, 30));
    assert_eq!(
        who(&oct1),
        [triple("B", "10-01 08:30", "10-01 20:30"), triple("B", "10-01 20:30", "10-02 08:30")]
    );
    let oct10 = expand(&r, &cal, at(2026, 10, 10, 0, 0), at(2026, 10, 11, 8, 30));
    // Day 9 after 30 September is B's (Friday night), day 10 A's.
    assert_eq!(
        who(&oct10)[0],
        triple("B", "10-10 00:00", "10-10 08:30"),
        "Friday night's shift runs into Saturday"
    );
    assert_eq!(
        who(&oct10)[1],
        triple("A", "10-10 17:30", "10-11 08:30"),
        "a worked Saturday has a night shift only"
    );
    assert_eq!(oct10.len(), 2);
}

#[test]
fn an_override_inside_a_shift_splits_it() {
    let cal = WorkingCalendar::china_default();
    let r = rotation(&["A", "B"], date(2026, 11, 30));
    let swap = Override {
        id: "o".into(),
        person_id: "C".into(),
        start: at(2026, 11, 30, 22, 0),
        end: at(2026, 12, 1, 2, 0),
        note: "换班".into(),
    };
    let duties = schedule(&[r], &[swap], &cal, at(2026, 11, 30, 17, 30), at(2026, 12, 1, 8, 30));
    assert_eq!(
        who(&duties),
        [
            triple("A", "11-30 17:30", "11-30 22:00"),
            triple("C", "11-30 22:00", "12-01 02:00"),
            triple("A", "12-01 02:00", "12-01 08:30"),
        ]
    );
    let check = coverage(&duties, &cal, at(2026, 11, 30, 17, 30), at(2026, 12, 1, 8, 30));
    assert_eq!(check, Coverage::default(), "fully covered, no one twice");
}

#[test]
fn gaps_outside_working_hours_and_double_bookings_are_found() {
    let cal = WorkingCalendar::china_default();
    // Nights start at 18:00 although the office closes at 17:30; weekends are not covered.
    let mut late = rotation(&["A"], date(2026, 11, 1));
    late.shifts = vec![ShiftRule { on: DayKind::Workday, start: hm(18, 0), end: hm(8, 30) }];
    let mut second = rotation(&["B"], date(2026, 11, 1));
    second.id = "r2".into();
    second.shifts = vec![ShiftRule { on: DayKind::Workday, start: hm(22, 0), end: hm(6, 0) }];
    // Monday 30 November 08:30 to Tuesday 08:30.
    let (from, to) = (at(2026, 11, 30, 8, 30), at(2026, 12, 1, 8, 30));
    let duties = schedule(&[late, second], &[], &cal, from, to);
    let check = coverage(&duties, &cal, from, to);
    assert_eq!(
        check.gaps,
        [Gap { start: at(2026, 11, 30, 17, 30), end: at(2026, 11, 30, 18, 0) }],
        "the lunch break counts as staffed"
    );
    assert_eq!(check.double_bookings.len(), 1);
    let double = &check.double_bookings[0];
    assert_eq!((double.first.person_id.as_str(), double.second.person_id.as_str()), ("A", "B"));
    assert_eq!((double.start, double.end), (at(2026, 11, 30, 22, 0), at(2026, 12, 1, 6, 0)));

    // A weekend with no rest-day shift at all is one long gap.
    let weekend = coverage(&duties, &cal, at(2026, 11, 28, 8, 30), at(2026, 11, 29, 8, 30));
    assert_eq!(weekend.gaps, [Gap { start: at(2026, 11, 28, 8, 30), end: at(2026, 11, 29, 8, 30) }]);
}

#[test]
fn before_its_first_day_a_rotation_covers_nothing() {
    let cal = WorkingCalendar::china_default();
    let duties =
        expand(&rotation(&["A"], date(2026, 12, 1)), &cal, at(2026, 11, 30, 0, 0), at(2026, 12, 1, 12, 0));
    assert!(duties.is_empty(), "{:?}", who(&duties));
}

#[test]
fn who_is_on_duty_now_and_the_next_hand_over() {
    let cal = WorkingCalendar::china_default();
    let r = rotation(&["A", "B"], date(2026, 11, 28));
    let duties = schedule(&[r], &[], &cal, at(2026, 11, 28, 0, 0), at(2026, 12, 5, 0, 0));
    let (now, next) = on_duty(&duties, at(2026, 11, 28, 21, 0));
    assert_eq!(now.iter().map(|d| d.person_id.as_str()).collect::<Vec<_>>(), ["A"]);
    assert_eq!(next, Some(at(2026, 11, 29, 8, 30)), "not 20:30, where A's day shift runs into A's night");
}

#[test]
fn the_rotation_form_is_checked() {
    let form = RotationForm {
        name: " ".into(),
        members: vec![],
        shifts: vec![ShiftForm { on: "weekly".into(), start: "25:00".into(), end: "".into() }],
        handover: "8:30".into(),
        start_date: "2026-13-01".into(),
        desk: false,
    };
    let Err(Error::Validation(fields)) = form.validate("r".into()) else { panic!("refused") };
    let got: Vec<(String, &str)> = fields.iter().map(|f| (f.field.to_string(), f.code())).collect();
    assert_eq!(
        got,
        [
            ("name".to_owned(), "required"),
            ("members".into(), "required"),
            ("shifts.0.on".into(), "unknown_value"),
            ("shifts.0.start".into(), "invalid_time_of_day"),
            ("shifts.0.end".into(), "required"),
            ("start_date".into(), "invalid_date"),
        ]
    );
}

#[test]
fn the_ics_export_is_folded_escaped_and_parses() {
    let cal = WorkingCalendar::china_default();
    let duties =
        expand(&rotation(&["p1"], date(2026, 11, 28)), &cal, at(2026, 11, 28, 0, 0), at(2026, 11, 30, 0, 0));
    let names = HashMap::from([("p1".to_owned(), "欧阳, 诸葛; 长名字测试长名字测试长名字测试".to_owned())]);
    let ics = duties_ics(&duties, &names, "值班表", at(2026, 11, 28, 0, 0));
    assert!(ics.lines().all(|l| l.trim_end_matches('\r').len() <= 75), "lines are folded");
    assert!(ics.contains("\\,") && ics.contains("\\;"), "commas and semicolons escaped");
    let parsed: icalendar::Calendar = ics.parse().expect("an independent parser reads it");
    let events: Vec<_> = parsed.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), duties.len());
    use icalendar::Component;
    assert_eq!(events[0].get_summary(), Some("值班 On call: 欧阳, 诸葛; 长名字测试长名字测试长名字测试"));
    let start = match events[0].get_start() {
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("a UTC start: {other:?}"),
    };
    assert_eq!(start, at(2026, 11, 28, 8, 30));
}

#[test]
fn the_hotline_desk_must_hold_the_working_day() {
    let cal = WorkingCalendar::china_default();
    // The desk person takes working days from Tuesday 1 December, 08:30–17:30.
    let mut desk = rotation(&["D"], date(2026, 12, 1));
    desk.desk = true;
    desk.shifts = vec![ShiftRule { on: DayKind::Workday, start: hm(8, 30), end: hm(17, 30) }];
    let (from, to) = (at(2026, 11, 30, 0, 0), at(2026, 12, 2, 0, 0));
    let duties = schedule(&[desk], &[], &cal, from, to);
    let gaps = desk_gaps(&duties, &cal, from, to);
    assert_eq!(
        gaps,
        [Gap { start: at(2026, 11, 30, 8, 30), end: at(2026, 11, 30, 17, 30) }],
        "Monday has no one"
    );
    // A stand-in for Tuesday afternoon keeps the desk covered; an hour off uncovered is a gap.
    let stand_in = Override {
        id: "o".into(),
        person_id: "E".into(),
        start: at(2026, 12, 1, 13, 30),
        end: at(2026, 12, 1, 17, 30),
        note: String::new(),
    };
    let mut short = rotation(&["D"], date(2026, 12, 1));
    short.desk = true;
    short.shifts = vec![ShiftRule { on: DayKind::Workday, start: hm(8, 30), end: hm(11, 0) }];
    let tuesday = (at(2026, 12, 1, 0, 0), at(2026, 12, 2, 0, 0));
    let duties = schedule(&[short], &[stand_in], &cal, tuesday.0, tuesday.1);
    assert_eq!(
        desk_gaps(&duties, &cal, tuesday.0, tuesday.1),
        [Gap { start: at(2026, 12, 1, 11, 0), end: at(2026, 12, 1, 13, 30) }],
        "from 11:00 to the stand-in (the lunch break is desk time too)"
    );
}
